using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Intents;
using static Pdsno.UnitTests.Intents.IntentNetwork;

namespace Pdsno.UnitTests.Intents;

public class ConflictAndPreviewTests
{
    [Fact]
    public void A_route_two_intents_install_is_wanted_by_the_other_when_one_asks_and_by_none_when_both_do()
    {
        var engine = Engine();
        engine.Submit(Connect("x", "a", "d"));
        engine.Submit(Connect("y", "b", "d"));
        // x goes a > b > d, so on b it routes to d's prefix through d, as y does.
        var onB = engine.Compiled("x")!.Patches.Single(p => p.Device == "b").Patch.AddRoutes;
        var toD = Assert.Single(onB, r => r.Prefix == "10.0.0.4/32");

        var wanted = engine.WantedByOthers(new HashSet<string> { "x" }, [new IntentRoutes("b", onB)]);

        Assert.Equal([toD.Key], Assert.Single(wanted).Routes.Select(r => r.Key));
        Assert.Empty(engine.WantedByOthers(new HashSet<string> { "x", "y" }, [new IntentRoutes("b", onB)]));
        engine.Withdraw("y");
        Assert.Empty(engine.WantedByOthers(new HashSet<string> { "x" }, [new IntentRoutes("b", onB)]));
    }

    [Fact]
    public void Compliance_compiles_to_a_patch_per_selected_device_with_templates_filled()
    {
        var engine = Engine();
        var spec = new ComplianceSpec(Roles: ["core"], Regions: ["r1"], NtpServers: ["10.9.9.1"], LocationTemplate: "dc-{region}",
            InterfaceRules: [new InterfaceRule("eth0", Description: "to {peer}")]);
        var compiled = engine.Preview(Comply("ntp", spec)).Compilation!;
        Assert.Equal(["a", "b"], compiled.Patches.Select(p => p.Device));
        var a = compiled.Patches[0].Patch;
        Assert.Equal("dc-r1", a.Location);
        Assert.Equal(["10.9.9.1"], a.NtpServers!.Value.ToArray());
        Assert.Equal("to B", a.Interfaces.Single().Description);
    }

    [Fact]
    public void Two_compliance_intents_setting_one_key_differently_conflict_naming_the_other()
    {
        var engine = Engine();
        engine.Submit(Comply("ntp-core", new ComplianceSpec(Roles: ["core"], NtpServers: ["10.9.9.1"])));
        engine.Submit(Comply("ntp-r2", new ComplianceSpec(Regions: ["r2"], NtpServers: ["10.9.9.2"])));
        var second = engine.Get("ntp-r2")!;
        Assert.Equal(Placement.Conflict, second.Placement);
        var conflict = Assert.Single(second.Conflicts);
        Assert.Equal((ConflictKind.ComplianceKey, "ntp-core", "d"), (conflict.Kind, conflict.OtherIntent, conflict.Device));
        Assert.Contains("ntpServers", conflict.Message);

        // The same value on the shared device is no conflict.
        engine.Submit(Comply("ntp-r2", new ComplianceSpec(Regions: ["r2"], NtpServers: ["10.9.9.1"])));
        Assert.Equal(Placement.Placed, engine.Get("ntp-r2")!.Placement);
    }

    [Fact]
    public void An_intent_in_conflict_with_one_that_is_withdrawn_is_placed_again_and_reported_changed()
    {
        var engine = Engine();
        engine.Submit(Comply("ntp-core", new ComplianceSpec(Roles: ["core"], NtpServers: ["10.9.9.1"])));
        engine.Submit(Comply("ntp-r2", new ComplianceSpec(Regions: ["r2"], NtpServers: ["10.9.9.2"])));
        engine.Submit(Comply("dns-r2", new ComplianceSpec(Regions: ["r2"], DnsServers: ["10.9.9.53"])));
        Assert.Equal(Placement.Conflict, engine.Get("ntp-r2")!.Placement);

        var changed = engine.Withdraw("ntp-core")!;

        Assert.Equal(["ntp-core", "ntp-r2"], changed.Select(e => e.Id));
        Assert.Equal(Placement.Placed, engine.Get("ntp-r2")!.Placement);
        Assert.Empty(engine.Get("ntp-r2")!.Conflicts);
    }

    [Fact]
    public void A_path_through_an_interface_a_compliance_intent_disables_conflicts_both_ways()
    {
        var engine = Engine();
        engine.Submit(Comply("shut-b", new ComplianceSpec(NamePattern: "B", InterfaceRules: [new InterfaceRule("eth1", Enabled: false)])));
        engine.Submit(Connect("ad", "a", "d"));
        var ad = engine.Get("ad")!;
        Assert.Equal(Placement.Conflict, ad.Placement);
        Assert.Contains(ad.Conflicts, c => c.Kind == ConflictKind.DisabledInterface && c.OtherIntent == "shut-b" && c.Link == BD);

        var other = Engine();
        other.Submit(Connect("ad", "a", "d"));
        var preview = other.Preview(Comply("shut-b", new ComplianceSpec(NamePattern: "b*", InterfaceRules: [new InterfaceRule("eth*", Enabled: false)]))).Compilation!;
        Assert.Contains(preview.Conflicts, c => c.Kind == ConflictKind.DisabledInterface && c.OtherIntent == "ad" && c.Device == "b");
    }

    [Theory]
    [InlineData("nowhere", "d", 0, null, "connectivity.a.device")]
    [InlineData("a", "a", 0, null, "connectivity.b")]
    [InlineData("a", "d", -1, null, "connectivity.minBandwidthBps")]
    [InlineData("a", "d", 0, "r2", "connectivity.avoidRegions")]
    public void Bad_input_is_refused_naming_the_field_and_nothing_is_stored(string a, string b, long bps, string? avoidRegion, string field)
    {
        var engine = Engine();
        var spec = new ConnectivitySpec(new IntentEndpoint(a), new IntentEndpoint(b), bps, AvoidRegions: avoidRegion is null ? default : [avoidRegion]);
        var (errors, changed) = engine.Submit(Connect("bad", spec));
        Assert.Contains(errors, e => e.Field == field);
        Assert.Empty(changed);
        Assert.Null(engine.Get("bad"));
        Assert.Contains(engine.Preview(Connect("bad", spec)).Errors, e => e.Field == field);
    }

    [Fact]
    public void Contradictory_regions_and_unknown_interfaces_are_refused()
    {
        var engine = Engine();
        var spec = new ConnectivitySpec(new IntentEndpoint("a", Interface: "eth9"), new IntentEndpoint("c"), AvoidRegions: ["r1"], StayWithinRegions: ["r1"]);
        var errors = engine.Preview(Connect("bad", spec)).Errors.Select(e => e.Field).ToList();
        Assert.Contains("connectivity.a.interface", errors);
        Assert.Contains("connectivity.avoidRegions", errors);
    }

    [Fact]
    public void Failure_preview_reroutes_or_fails_each_intent_and_changes_nothing()
    {
        var engine = Engine();
        engine.Submit(Connect("big", "a", "d", 600 * Mbps, priority: 200));
        engine.Submit(Connect("small", "a", "d", 150 * Mbps));
        engine.Submit(Connect("filler", "a", "d", 100 * Mbps));
        engine.Submit(Connect("edge", "b", "e", 0));
        Assert.Equal(["a", "b", "d"], engine.Compiled("small")!.Path!.Devices.ToArray());

        var preview = engine.PreviewFailure([BD], []);
        Assert.Empty(preview.Errors);
        var big = Assert.Single(preview.Rerouted, r => r.Intent == "big");
        Assert.Equal(["a", "b", "d"], big.OldPath.Devices.ToArray());
        Assert.Equal(["a", "c", "d"], big.NewPath.Devices.ToArray());
        Assert.Contains(preview.Rerouted, r => r.Intent == "edge" && r.NewPath.Devices.SequenceEqual(["b", "a", "c", "d", "e"]));
        var failed = Assert.Single(preview.Failed);
        Assert.Equal("small", failed.Intent);
        Assert.Contains(preview.Links, l => l.Link == BD && l.ReservedBeforeBps == 750 * Mbps && l.ReservedAfterBps == 0);
        Assert.Contains(preview.Links, l => l.Link == CD && l.ReservedBeforeBps == 100 * Mbps && l.ReservedAfterBps == 700 * Mbps);

        Assert.Equal(750 * Mbps, engine.Ledger.Reserved(engine.Graph.LinkIndex(BD)));
        Assert.Equal(["a", "b", "d"], engine.Compiled("big")!.Path!.Devices.ToArray());
        Assert.Contains(engine.PreviewFailure(["no-such-link"], []).Errors, e => e.Field == "linkIds[0]");
    }

    [Fact]
    public void A_link_down_event_reroutes_the_intents_over_it_and_a_link_up_retries_the_failed()
    {
        var engine = Engine();
        engine.Submit(Connect("ad", "a", "d", 600 * Mbps));
        engine.Submit(Connect("ad2", "a", "d", 600 * Mbps));
        var down = engine.Graph.Apply(Update(11, TopologyEventType.LinkDown, BD));
        Assert.Equal([BD], down.LinksDown);
        var changed = engine.React(down);
        Assert.Contains(changed, c => c.Id == "ad");
        Assert.Equal(["a", "c", "d"], engine.Compiled("ad2")!.Path!.Devices.ToArray());
        var ad = engine.Get("ad")!;
        Assert.Equal(Placement.Failed, ad.Placement);

        var up = engine.Graph.Apply(Update(12, TopologyEventType.LinkUp, BD));
        Assert.True(up.Improved);
        Assert.Contains(engine.React(up), c => c.Id == "ad" && c.Placement == Placement.Placed);
        Assert.Equal(12, engine.Graph.Sequence);
    }

    [Fact]
    public void The_graph_follows_the_log_from_its_sequence_and_ignores_what_it_has_seen()
    {
        var graph = TopologyGraph.From(Snapshot(sequence: 10));
        Assert.False(graph.Apply(Update(10, TopologyEventType.LinkDown, AB)).Broke);
        Assert.True(graph.Link(graph.LinkIndex(AB)).Up);

        var f = new GraphDevice("f", "r2", "F", "access", "acme", "10.0.0.6", "ACTIVE");
        var fd = new GraphLink(Key("f", "eth0", "d", "eth3"), "f", "eth0", "d", "eth3", Gbps, true);
        var added = new TopologyUpdate(
            [Event(11, TopologyEventType.DeviceAdded, device: "f"), Event(12, TopologyEventType.LinkAdded, link: fd.Key),
             Event(13, TopologyEventType.DeviceStatusChanged, device: "e", value: "UNREACHABLE"),
             Event(14, TopologyEventType.InterfaceChanged, device: "a", iface: "eth0", value: "oper=DOWN admin=UP speed=100")],
            [f], [new GraphInterface("f", "eth0", Gbps, true, true)], [fd]);
        var delta = graph.Apply(added);
        Assert.Equal(14, graph.Sequence);
        Assert.True(graph.IsUsable(graph.LinkIndex(fd.Key)));
        Assert.Equal(["e"], delta.DevicesDown);
        Assert.False(graph.IsActive(graph.DeviceIndex("e")));
        Assert.False(graph.IsUsable(graph.LinkIndex(DE)));
        Assert.Equal(new InterfaceNode("eth0", 100, true, false, false), graph.Interface(graph.DeviceIndex("a"), "eth0"));
    }

    [Fact]
    public void A_graph_rebuilt_from_an_older_snapshot_and_the_log_equals_one_from_the_newer_snapshot()
    {
        var old = Snapshot(sequence: 10);
        var log = new TopologyUpdate(
            [Event(11, TopologyEventType.LinkDown, link: BD), Event(12, TopologyEventType.DeviceStatusChanged, device: "c", value: "INACTIVE"),
             Event(13, TopologyEventType.InterfaceChanged, device: "d", iface: "eth2", value: "oper=UP admin=DOWN speed=1000000000"), Event(14, TopologyEventType.LinkUp, link: BD)],
            [], [], []);
        var rebuilt = TopologyGraph.From(old);
        rebuilt.Apply(log);

        var newer = new TopologySnapshot(
            14,
            [.. old.Devices.Select(d => d.Key == "c" ? d with { Status = "INACTIVE" } : d)],
            [.. old.Interfaces.Select(i => i is { Device: "d", Name: "eth2" } ? i with { AdminUp = false } : i)],
            old.Links);
        Assert.Equal(Dump(TopologyGraph.From(newer)), Dump(rebuilt));
    }

    [Fact]
    public void A_link_logged_before_its_new_device_joins_the_graph_with_the_device_and_keeps_its_last_status()
    {
        var graph = TopologyGraph.From(Snapshot());
        var link = new GraphLink(Key("g", "eth0", "e", "eth1"), "g", "eth0", "e", "eth1", Gbps, true);
        graph.Apply(new TopologyUpdate([Event(11, TopologyEventType.LinkAdded, link: link.Key), Event(12, TopologyEventType.LinkDown, link: link.Key)], [], [], [link]));
        Assert.Equal(-1, graph.LinkIndex(link.Key));

        var g = new GraphDevice("g", "r2", "G", "access", "acme", "10.0.0.7", "ACTIVE");
        graph.Apply(new TopologyUpdate([Event(13, TopologyEventType.DeviceAdded, device: "g")], [g], [], []));
        var index = graph.LinkIndex(link.Key);
        Assert.True(index >= 0);
        Assert.False(graph.Link(index).Up);
        Assert.Contains(index, graph.LinksOf(graph.DeviceIndex("e")).ToArray());
    }

    private static string Dump(TopologyGraph g) => string.Join("\n", Enumerable.Range(0, g.DeviceCount)
        .Select(d => $"{g.Device(d)} [{string.Join(",", g.InterfacesOf(d))}]")
        .Concat(Enumerable.Range(0, g.LinkCount).Select(l => g.Link(l).ToString()))
        .Append($"seq={g.Sequence}"));

    private static TopologyUpdate Update(long seq, TopologyEventType type, string link) => new([Event(seq, type, link: link)], [], [], []);

    private static TopologyEvent Event(long seq, TopologyEventType type, string? device = null, string? link = null, string? iface = null, string? value = null) =>
        new("t", seq, type, "r1", device, iface, link, null, value, DateTimeOffset.UnixEpoch);
}
