using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Intents;
using static Pdsno.UnitTests.Intents.IntentNetwork;

namespace Pdsno.UnitTests.Intents;

public class ComplianceCheckTests
{
    private static readonly ConfigPatch Wanted = new(
        Location: "dc-r1", NtpServers: ["10.9.9.1", "10.9.9.2"], Interfaces: [new InterfacePatch("eth0", Enabled: true, Description: "to B")]);

    private static DeviceConfig Config(string location = "dc-r1", string[]? ntp = null, bool enabled = true, string description = "to B") =>
        new("a", location, "", [.. ntp ?? ["10.9.9.1", "10.9.9.2"]], [], [new InterfaceConfig("eth0", enabled, description, 1500), new InterfaceConfig("eth1", true, "", 1500)], []);

    private static DeviceConfigView View(DeviceConfig intended, DeviceConfig? observed = null, ConfigSections sections = ConfigSections.All) =>
        new(intended, 3, observed, observed is null ? null : DateTimeOffset.UnixEpoch, sections,
            observed is null || observed.SameAs(intended) ? [] : ConfigDiff.Compute(intended, observed), null, null);

    [Fact]
    public void A_config_that_carries_the_patch_has_no_differences_and_needs_no_remedy()
    {
        Assert.Empty(ComplianceCheck.Differences(Wanted, Config()));
        Assert.Null(ComplianceCheck.Remedy(Wanted, Config()));
        // Servers compare as the device keeps them: blanks and repeats do not count.
        Assert.Empty(ComplianceCheck.Differences(Wanted with { NtpServers = [" 10.9.9.1", "10.9.9.2", "10.9.9.1"] }, Config()));
    }

    [Fact]
    public void Each_differing_key_says_what_the_device_has_and_what_the_intent_wants()
    {
        var differences = ComplianceCheck.Differences(Wanted, Config(location: "closet", ntp: ["10.0.0.1"], enabled: false)).Select(d => d.ToString()).ToList();
        Assert.Equal(
            ["location: has 'closet', wants 'dc-r1'", "ntpServers: has [10.0.0.1], wants [10.9.9.1, 10.9.9.2]", "interfaces.eth0.enabled: has false, wants true"],
            differences);
    }

    [Fact]
    public void The_remedy_carries_only_the_keys_that_differ()
    {
        var remedy = ComplianceCheck.Remedy(Wanted, Config(location: "closet", description: "old"))!;
        Assert.Equal("dc-r1", remedy.Location);
        Assert.Null(remedy.NtpServers);
        var i = Assert.Single(remedy.Interfaces);
        Assert.Equal(("eth0", (bool?)null, "to B"), (i.Name, i.Enabled, i.Description));
        Assert.Equal("dc-r1", remedy.ApplyTo(Config(location: "closet", description: "old")).Location);
        Assert.Empty(ComplianceCheck.Differences(Wanted, remedy.ApplyTo(Config(location: "closet", description: "old"))));
    }

    [Fact]
    public void An_interface_the_device_does_not_have_is_not_judged()
    {
        var wanted = new ConfigPatch(Interfaces: [new InterfacePatch("eth9", Enabled: false)]);
        Assert.Empty(ComplianceCheck.Differences(wanted, Config()));
    }

    [Fact]
    public void A_device_is_judged_on_its_intended_config_and_on_observed_drift_in_the_sections_read()
    {
        Assert.True(ComplianceCheck.Judge("a", Wanted, View(Config())).Compliant);

        var intended = ComplianceCheck.Judge("a", Wanted, View(Config(ntp: ["10.0.0.1"])));
        Assert.False(intended.Compliant);
        Assert.Equal(["ntpServers: has [10.0.0.1], wants [10.9.9.1, 10.9.9.2]"], intended.Reasons.ToArray());

        // Someone changed the running config behind PDSNO's back.
        var drifted = ComplianceCheck.Judge("a", Wanted, View(Config(), Config(location: "closet")));
        Assert.False(drifted.Compliant);
        Assert.Equal(["observed location: has 'closet', wants 'dc-r1'"], drifted.Reasons.ToArray());
        var remedy = ComplianceCheck.RemedyFor(Wanted, View(Config(), Config(location: "closet")))!;
        Assert.Equal("dc-r1", remedy.Location);
        Assert.Null(remedy.NtpServers);

        // A driver that does not read the system section cannot say the location drifted.
        Assert.True(ComplianceCheck.Judge("a", Wanted, View(Config(), Config(location: "closet"), ConfigSections.Services)).Compliant);
        Assert.Null(ComplianceCheck.RemedyFor(Wanted, View(Config(), Config(location: "closet"), ConfigSections.Services)));

        Assert.False(ComplianceCheck.Judge("a", Wanted, null).Compliant);
    }

    [Fact]
    public void The_engine_names_the_compliance_intents_a_device_event_concerns()
    {
        var engine = Engine();
        engine.Submit(Comply("core-ntp", new ComplianceSpec(Roles: ["core"], NtpServers: ["10.9.9.1"])));
        engine.Submit(Comply("r2-dns", new ComplianceSpec(Regions: ["r2"], DnsServers: ["10.9.9.53"])));
        engine.Submit(Comply("clash", new ComplianceSpec(NamePattern: "A", NtpServers: ["10.0.0.9"])));
        Assert.True(engine.HasCompliance);

        Assert.Equal(["core-ntp"], engine.ComplianceSelecting(["a"]).Select(e => e.Id));
        Assert.Equal(["core-ntp", "r2-dns"], engine.ComplianceSelecting(["d"]).Select(e => e.Id));
        Assert.Equal(["r2-dns"], engine.ComplianceSelecting(["e", "unknown"]).Select(e => e.Id));
        Assert.Empty(engine.ComplianceSelecting(["c"]));
        Assert.Equal(["r1", "r2"], engine.RegionsOf(engine.Get("core-ntp")!.Spec).ToArray());
        Assert.Equal(["r2"], engine.RegionsOf(engine.Get("r2-dns")!.Spec).ToArray());

        engine.Withdraw("core-ntp");
        engine.Withdraw("r2-dns");
        engine.Withdraw("clash");
        Assert.False(engine.HasCompliance);
    }

    [Fact]
    public void Unknown_regions_and_texts_a_change_would_refuse_are_input_errors_naming_the_field()
    {
        var engine = Engine();
        var errors = engine.Submit(Comply("bad", new ComplianceSpec(Regions: ["r1", "nowhere"], LocationTemplate: new string('x', 300),
            InterfaceRules: [new InterfaceRule("eth*", Description: "a\nb")]))).Errors;
        Assert.Equal(["compliance.regions[1]", "compliance.locationTemplate", "compliance.interfaceRules[0].description"], errors.Select(e => e.Field));
        Assert.Contains("unknown region 'nowhere'", errors[0].Message);
        Assert.Null(engine.Get("bad"));
    }
}
