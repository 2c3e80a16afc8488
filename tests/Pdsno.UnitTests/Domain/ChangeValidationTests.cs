using System.Collections.Immutable;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Policy;
using Pdsno.Grains.Changes;

namespace Pdsno.UnitTests.Domain;

public class ChangeValidationTests
{
    private static readonly DeviceConfig Device = new(
        "a", "lab", "noc", [], [],
        [new InterfaceConfig("eth0", true, "", 1500), new InterfaceConfig("eth1", true, "uplink", 1500)],
        [new StaticRoute("10.9.0.0/16", "10.0.0.2")]);

    private static ChangeProposal Proposal(params ConfigPatch[] patches) =>
        new("t", null, [.. patches.Select((p, i) => new ChangeTargetInput("d" + i, p))]);

    private static IReadOnlyList<ChangeRefusal> Shape(ChangeProposal proposal) => ChangeValidation.CheckShape(proposal, ChangePolicy.Default);

    [Fact]
    public void A_valid_patch_passes()
    {
        Assert.Empty(Shape(Proposal(new ConfigPatch(Location: "rack 4", Interfaces: [new InterfacePatch("eth1", Mtu: 9000)], AddRoutes: [new StaticRoute("10.20.0.0/16", "10.0.0.1")]))));
    }

    [Fact]
    public void An_empty_patch_names_its_target()
    {
        var error = Assert.Single(Shape(Proposal(new ConfigPatch(Location: "x"), new ConfigPatch())));

        Assert.Equal(ChangeRefusalCode.BadInput, error.Code);
        Assert.StartsWith("targets[1].patch: the patch is empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(["input", "targets", "1", "patch"], error.Field.ToArray());
    }

    [Fact]
    public void The_same_device_twice_is_refused()
    {
        var proposal = new ChangeProposal("t", null, [new ChangeTargetInput("d", new ConfigPatch(Location: "x")), new ChangeTargetInput("d", new ConfigPatch(Contact: "y"))]);

        var error = Assert.Single(Shape(proposal));

        Assert.Contains("targets[1].deviceId", error.Message, StringComparison.Ordinal);
        Assert.Contains("already targets[0]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(67)]
    [InlineData(9217)]
    public void An_mtu_out_of_range_names_the_interface(int mtu)
    {
        var error = Assert.Single(Shape(Proposal(new ConfigPatch(Interfaces: [new InterfacePatch("eth1", Mtu: mtu)]))));

        Assert.Equal($"targets[0].patch.interfaces[eth1].mtu: MTU {mtu} is outside 68..9216", error.Message);
        Assert.Equal(["input", "targets", "0", "patch", "interfaces", "eth1", "mtu"], error.Field.ToArray());
    }

    [Theory]
    [InlineData("10.1.2.3/16", "is not a network address; did you mean 10.1.0.0/16?")]
    [InlineData("10.1.0.0", "is not a prefix")]
    [InlineData("10.1.0.0/33", "has no valid prefix length")]
    [InlineData("banana/8", "is not a prefix")]
    [InlineData("2001:db8::1/32", "did you mean 2001:db8::/32?")]
    public void A_bad_prefix_says_what_is_wrong(string prefix, string expected)
    {
        var hop = prefix.Contains(':', StringComparison.Ordinal) ? "2001:db8::1" : "10.0.0.1";
        var error = Assert.Single(Shape(Proposal(new ConfigPatch(AddRoutes: [new StaticRoute(prefix, hop)]))));

        Assert.StartsWith("targets[0].patch.addRoutes[0].prefix: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_next_hop_must_be_an_address_of_the_prefix_family()
    {
        var errors = Shape(Proposal(new ConfigPatch(AddRoutes: [new StaticRoute("10.0.0.0/8", "gateway"), new StaticRoute("10.0.0.0/8", "2001:db8::1")])));

        Assert.Equal(2, errors.Count);
        Assert.Contains("addRoutes[0].nextHop: 'gateway' is not an IP address", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("addRoutes[1].nextHop: next hop 2001:db8::1 is not of the prefix's address family", errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData("has space")]
    [InlineData("")]
    public void A_bad_hostname_is_refused(string hostname)
    {
        var error = Assert.Single(Shape(Proposal(new ConfigPatch(Hostname: hostname))));

        Assert.StartsWith("targets[0].patch.hostname:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_servers_must_be_addresses_and_ntp_may_be_names()
    {
        var errors = Shape(Proposal(new ConfigPatch(NtpServers: ["pool.ntp.org", "10.0.0.1"], DnsServers: ["resolver.local"])));

        var error = Assert.Single(errors);
        Assert.Equal("targets[0].patch.dnsServers[0]: 'resolver.local' is not an IP address", error.Message);
    }

    [Fact]
    public void Title_emergency_reason_and_target_count_are_checked()
    {
        var policy = ChangePolicy.Default with { MaxTargets = 2 };
        var proposal = new ChangeProposal(" ", null, [.. Enumerable.Range(0, 3).Select(i => new ChangeTargetInput("d" + i, new ConfigPatch(Location: "x")))], Emergency: true);

        var messages = ChangeValidation.CheckShape(proposal, policy).Select(e => e.Message).ToList();

        Assert.Contains(messages, m => m.StartsWith("title:", StringComparison.Ordinal));
        Assert.Contains("reason: an emergency change needs a reason", messages);
        Assert.Contains("targets: 3 targets exceed the policy's limit of 2", messages);
        Assert.Equal(["targets: a change needs at least one target"], ChangeValidation.CheckShape(new ChangeProposal("t", null, []), policy).Select(e => e.Message));
    }

    [Fact]
    public void An_unknown_interface_is_named_with_the_device()
    {
        var error = Assert.Single(ChangeValidation.CheckAgainst(1, "r1/a", new ConfigPatch(Interfaces: [new InterfacePatch("eth9", Enabled: false)]), Device));

        Assert.Equal("targets[1].patch.interfaces[eth9]: no interface eth9 on device r1/a", error.Message);
        Assert.Equal(["input", "targets", "1", "patch", "interfaces", "eth9"], error.Field.ToArray());
    }

    [Fact]
    public void Removing_a_route_the_device_does_not_have_is_refused_and_a_present_one_is_not()
    {
        Assert.Single(ChangeValidation.CheckAgainst(0, "r1/a", new ConfigPatch(RemoveRoutes: [new RouteRef("10.8.0.0/16")]), Device));
        Assert.Empty(ChangeValidation.CheckAgainst(0, "r1/a", new ConfigPatch(RemoveRoutes: [new RouteRef("10.9.0.0/16", "10.0.0.2")]), Device));
    }

    [Fact]
    public void A_patch_that_changes_nothing_is_refused()
    {
        var error = Assert.Single(ChangeValidation.CheckAgainst(0, "r1/a", new ConfigPatch(Location: "lab", Interfaces: [new InterfacePatch("eth1", Enabled: true)]), Device));

        Assert.Equal("targets[0].patch: the patch changes nothing on device r1/a", error.Message);
    }

    [Fact]
    public void A_patch_that_changes_nothing_intended_puts_back_what_drifted_on_the_device()
    {
        var patch = new ConfigPatch(Location: "lab");
        Assert.Empty(ChangeValidation.CheckAgainst(0, "r1/a", patch, Device, Device with { Location = "closet 9" }));
        // A drift elsewhere does not make it a change.
        Assert.Single(ChangeValidation.CheckAgainst(0, "r1/a", patch, Device, Device with { Contact = "someone" }));
    }

    [Fact]
    public void Normalizing_gives_canonical_addresses_and_no_default_lists()
    {
        var patch = ChangeValidation.Normalize(new ConfigPatch(AddRoutes: [new StaticRoute("2001:0db8::/32", "2001:0db8::0001")], DnsServers: ImmutableArray.Create(" 10.0.0.53 ")));

        Assert.Equal("2001:db8::/32", patch.AddRoutes[0].Prefix);
        Assert.Equal("2001:db8::1", patch.AddRoutes[0].NextHop);
        Assert.Equal(["10.0.0.53"], patch.DnsServers!.Value.ToArray());
        Assert.False(patch.Interfaces.IsDefault);
        Assert.False(patch.RemoveRoutes.IsDefault);
    }
}
