using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Policy;
using Pdsno.Grains.Changes;

namespace Pdsno.UnitTests.Domain;

public class ChangeRulesTests
{
    // A chain core - b - c in r1, and a spare link core - c2 - c as a second path only when told.
    private static readonly TopologyDevice[] Devices =
    [
        new("core", "r1", "core", "core"), new("b", "r1", "b", "distribution"), new("c", "r1", "c", "access"), new("x", "r2", "x", "access"),
    ];

    private static readonly TopologyLink CoreB = new("core:eth0|b:eth0", "r1", "core", "eth0", "b", "eth0", true);
    private static readonly TopologyLink BC = new("b:eth1|c:eth0", "r1", "b", "eth1", "c", "eth0", true);
    private static readonly TopologyLink CoreC = new("c:eth1|core:eth1", "r1", "c", "eth1", "core", "eth1", true);

    private static DeviceConfig Config(string name) => new(name, "", "", [], [], [new InterfaceConfig("eth0", true, "", 1500), new InterfaceConfig("eth1", true, "", 1500)], []);

    private static PlannedTarget Target(string device, string region, string role, ConfigPatch patch)
    {
        var before = Config(device);
        return new PlannedTarget(device, $"{region}/{device}", region, role, before.Canonical(), patch.ApplyTo(before));
    }

    private static PlannedTarget Disable(string device, string iface, string role = "access") =>
        Target(device, "r1", role, new ConfigPatch(Interfaces: [new InterfacePatch(iface, Enabled: false)]));

    [Fact]
    public void Disabling_an_interface_takes_its_link_down_and_isolates_what_lay_behind_it()
    {
        var impact = ChangeRules.Impact([Disable("b", "eth0", "distribution")], new ChangeTopology(Devices, [CoreB, BC]));

        Assert.Equal([CoreB.Link], impact.LinksDown.Select(l => l.Link));
        Assert.Equal(["b", "c"], impact.DevicesIsolated.ToArray());
        Assert.Empty(impact.Intents);
    }

    [Fact]
    public void A_second_path_keeps_devices_reachable()
    {
        var impact = ChangeRules.Impact([Disable("b", "eth0", "distribution")], new ChangeTopology(Devices, [CoreB, BC, CoreC]));

        Assert.Single(impact.LinksDown);
        Assert.Empty(impact.DevicesIsolated);
    }

    [Fact]
    public void A_link_already_down_is_not_taken_down_again()
    {
        var impact = ChangeRules.Impact([Disable("b", "eth0")], new ChangeTopology(Devices, [CoreB with { Up = false }, BC]));

        Assert.Empty(impact.LinksDown);
        Assert.Empty(impact.DevicesIsolated);
    }

    [Fact]
    public void Without_a_core_device_the_best_connected_device_holds_the_controllers()
    {
        TopologyDevice[] devices = [new("p", "r9", "p", "access"), new("q", "r9", "q", "access"), new("s", "r9", "s", "access")];
        TopologyLink[] links = [new("pq", "r9", "p", "eth0", "q", "eth0", true), new("qs", "r9", "q", "eth1", "s", "eth0", true)];

        var impact = ChangeRules.Impact([Target("s", "r9", "access", new ConfigPatch(Interfaces: [new InterfacePatch("eth0", Enabled: false)]))], new ChangeTopology(devices, links));

        Assert.Equal(["s"], impact.DevicesIsolated.ToArray());
    }

    [Fact]
    public void Descriptions_location_and_contact_only_are_low()
    {
        var target = Target("c", "r1", "access", new ConfigPatch(Location: "rack 1", Contact: "noc", Interfaces: [new InterfacePatch("eth0", Description: "to b")]));

        var (level, reasons) = ChangeRules.Classify([target], ChangeTopology.Empty, ChangePolicy.Default, emergency: false);

        Assert.Equal(Sensitivity.Low, level);
        Assert.Equal(["only descriptions, location or contact change"], reasons.ToArray());
    }

    [Fact]
    public void A_linked_interface_routes_and_a_core_device_are_medium_with_each_reason()
    {
        var targets = new[]
        {
            Target("c", "r1", "access", new ConfigPatch(Interfaces: [new InterfacePatch("eth0", Mtu: 9000)])),
            Target("x", "r1", "access", new ConfigPatch(AddRoutes: [new StaticRoute("10.0.0.0/8", "10.1.1.1")])),
            Target("core", "r1", "core", new ConfigPatch(Location: "dc")),
        };

        var (level, reasons) = ChangeRules.Classify(targets, new ChangeTopology(Devices, [BC]), ChangePolicy.Default, emergency: false);

        Assert.Equal(Sensitivity.Medium, level);
        Assert.Contains($"r1/c: interface eth0 carries link {BC.Link}", reasons);
        Assert.Contains("r1/x: static routes change", reasons);
        Assert.Contains("r1/core is a core device", reasons);
    }

    [Fact]
    public void Two_regions_or_more_than_twenty_devices_are_high_and_the_flag_is_emergency()
    {
        var twoRegions = new[] { Target("c", "r1", "access", new ConfigPatch(Location: "a")), Target("x", "r2", "access", new ConfigPatch(Location: "b")) };
        var many = Enumerable.Range(0, 21).Select(i => Target("d" + i, "r1", "access", new ConfigPatch(Location: "a"))).ToList();

        Assert.Equal(Sensitivity.High, ChangeRules.Classify(twoRegions, ChangeTopology.Empty, ChangePolicy.Default, false).Level);
        var (level, reasons) = ChangeRules.Classify(many, ChangeTopology.Empty, ChangePolicy.Default, false);
        Assert.Equal(Sensitivity.High, level);
        Assert.Contains("the change touches 21 devices (more than 20)", reasons);
        Assert.Equal(Sensitivity.Low, ChangeRules.Classify(many, ChangeTopology.Empty, ChangePolicy.Default with { HighDeviceCount = 50 }, false).Level);
        Assert.Equal(Sensitivity.Emergency, ChangeRules.Classify(twoRegions, ChangeTopology.Empty, ChangePolicy.Default, true).Level);
    }

    [Fact]
    public void A_change_that_installs_several_intents_counts_devices_and_regions_per_intent()
    {
        var many = Enumerable.Range(0, 30).Select(i => Target("d" + i, i < 15 ? "r1" : "r2", "access", new ConfigPatch(Location: "a"))).ToList();
        var apart = new List<(string, IReadOnlyCollection<string>)>
        {
            ("i1", [.. many.Take(15).Select(t => t.Device)]),
            ("i2", [.. many.Skip(15).Select(t => t.Device)]),
        };
        var across = new List<(string, IReadOnlyCollection<string>)> { ("i3", ["d0", "d20"]) };

        Assert.Equal(Sensitivity.High, ChangeRules.Classify(many, ChangeTopology.Empty, ChangePolicy.Default, false).Level);
        Assert.Equal(Sensitivity.Low, ChangeRules.Classify(many, ChangeTopology.Empty, ChangePolicy.Default, false, intents: apart).Level);
        var (level, reasons) = ChangeRules.Classify(many, ChangeTopology.Empty, ChangePolicy.Default, false, intents: across);
        Assert.Equal(Sensitivity.High, level);
        Assert.Contains("intent i3 touches 2 regions (more than 1)", reasons);
    }

    [Fact]
    public void The_token_hash_changes_with_the_patch_and_with_the_device_config()
    {
        var before = Config("c").Canonical();
        ChangeTarget Of(ConfigPatch patch, DeviceConfig b) => new("c", "c", "r1", patch, b, patch.ApplyTo(b), [], "");
        var patch = new ConfigPatch(Location: "a", Interfaces: [], AddRoutes: [], RemoveRoutes: []);

        var hash = ChangeRules.TokenHash("ch-1", [Of(patch, before)]);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, ChangeRules.TokenHash("ch-1", [Of(patch, before)]));
        Assert.NotEqual(hash, ChangeRules.TokenHash("ch-2", [Of(patch, before)]));
        Assert.NotEqual(hash, ChangeRules.TokenHash("ch-1", [Of(patch with { Location = "b" }, before)]));
        Assert.NotEqual(hash, ChangeRules.TokenHash("ch-1", [Of(patch, before with { Contact = "moved" })]));
    }
}
