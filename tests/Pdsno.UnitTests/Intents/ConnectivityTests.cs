using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Intents;
using static Pdsno.UnitTests.Intents.IntentNetwork;

namespace Pdsno.UnitTests.Intents;

public class ConnectivityTests
{
    [Fact]
    public void The_shortest_path_is_reserved_and_the_next_intent_that_no_longer_fits_takes_the_other_path()
    {
        var engine = Engine();
        Assert.Empty(engine.Submit(Connect("i1", "a", "d", 500 * Mbps)).Errors);
        Assert.Equal([AB, BD], engine.Get("i1")!.Plan!.Links!.Select(l => engine.Graph.Link(l).Key));
        Assert.Equal(500 * Mbps, engine.Ledger.Reserved(engine.Graph.LinkIndex(AB)));

        engine.Submit(Connect("i2", "a", "d", 500 * Mbps));
        var i2 = engine.Get("i2")!;
        Assert.Equal(Placement.Placed, i2.Placement);
        Assert.Equal([AC, CD], i2.Plan!.Links!.Select(l => engine.Graph.Link(l).Key));
        Assert.Equal(["i1"], engine.IntentsOn(AB));
    }

    [Fact]
    public void Avoided_devices_links_and_regions_and_stay_within_regions_shape_the_path()
    {
        var engine = Engine();
        var viaC = engine.Preview(Connect("p", new ConnectivitySpec(new IntentEndpoint("a"), new IntentEndpoint("d"), AvoidDevices: ["b"]))).Compilation!;
        Assert.Equal(["a", "c", "d"], viaC.Path!.Devices.ToArray());

        var noLink = engine.Preview(Connect("p", new ConnectivitySpec(new IntentEndpoint("a"), new IntentEndpoint("d"), AvoidLinks: [BD]))).Compilation!;
        Assert.Equal(["a", "c", "d"], noLink.Path!.Devices.ToArray());

        // b to c inside r1 must go through a; through r2 (b-d-c) is not allowed.
        var within = engine.Preview(Connect("p", new ConnectivitySpec(new IntentEndpoint("b"), new IntentEndpoint("c"), StayWithinRegions: ["r1"]))).Compilation!;
        Assert.Equal(["b", "a", "c"], within.Path!.Devices.ToArray());

        var avoidR1 = engine.Preview(Connect("p", new ConnectivitySpec(new IntentEndpoint("d"), new IntentEndpoint("e"), AvoidRegions: ["r1"]))).Compilation!;
        Assert.Equal(["d", "e"], avoidR1.Path!.Devices.ToArray());
    }

    [Fact]
    public void Max_hops_that_no_path_meets_fails_with_the_reason()
    {
        var preview = Engine().Preview(Connect("p", new ConnectivitySpec(new IntentEndpoint("a"), new IntentEndpoint("e"), MaxHops: 2))).Compilation!;
        Assert.False(preview.Feasible);
        Assert.Contains("within 2 hops", preview.Reason);
        Assert.Null(preview.Path);
    }

    [Theory]
    [InlineData(Protection.LinkDisjoint)]
    [InlineData(Protection.NodeDisjoint)]
    public void A_protected_intent_reserves_a_disjoint_backup_and_installs_it_with_a_higher_metric(Protection protection)
    {
        var engine = Engine();
        engine.Submit(Connect("i", "a", "d", 100 * Mbps, protection: protection));
        var compiled = engine.Compiled("i")!;
        Assert.Equal(["a", "b", "d"], compiled.Path!.Devices.ToArray());
        Assert.Equal(["a", "c", "d"], compiled.Backup!.Devices.ToArray());
        Assert.Equal(100 * Mbps, engine.Ledger.Reserved(engine.Graph.LinkIndex(CD)));
        var a = compiled.Patches.Single(p => p.Device == "a").Patch.AddRoutes;
        Assert.Contains(a, r => r.Prefix == "10.0.0.4/32" && r.NextHop == "10.0.0.2" && r.Interface == "eth0" && r.Metric == 0);
        Assert.Contains(a, r => r.Prefix == "10.0.0.4/32" && r.NextHop == "10.0.0.3" && r.Interface == "eth1" && r.Metric == ConnectivityCompiler.BackupMetric);
    }

    [Fact]
    public void Node_disjoint_protection_without_a_second_route_fails_and_reserves_nothing()
    {
        var engine = Engine();
        engine.Submit(Connect("i", "a", "e", 100 * Mbps, protection: Protection.NodeDisjoint));
        var i = engine.Get("i")!;
        Assert.Equal(Placement.Failed, i.Placement);
        Assert.Contains("node-disjoint backup", i.Reason);
        Assert.Equal(0, engine.Ledger.Reserved(engine.Graph.LinkIndex(DE)));
    }

    [Fact]
    public void Routes_go_hop_by_hop_in_both_directions_towards_each_endpoint_prefix()
    {
        var engine = Engine();
        var spec = new ConnectivitySpec(new IntentEndpoint("a", Prefix: "192.168.1.0/24"), new IntentEndpoint("e"));
        var patches = engine.Preview(Connect("p", spec)).Compilation!.Patches.ToDictionary(p => p.Device, p => p.Patch.AddRoutes);
        Assert.Equal(["a", "b", "d", "e"], patches.Keys.Order());
        Assert.Equal(("10.0.0.5/32", "10.0.0.2"), (patches["a"].Single().Prefix, patches["a"].Single().NextHop));
        Assert.Equal(("192.168.1.0/24", "10.0.0.4"), (patches["e"].Single().Prefix, patches["e"].Single().NextHop));
        Assert.Equal(2, patches["b"].Length);
        Assert.Contains(patches["b"], r => r.Prefix == "192.168.1.0/24" && r.NextHop == "10.0.0.1");
        Assert.Contains(patches["b"], r => r.Prefix == "10.0.0.5/32" && r.NextHop == "10.0.0.4");
    }

    [Fact]
    public void A_higher_priority_displaces_the_lowest_which_recompiles_or_fails_naming_the_displacer()
    {
        var engine = Engine();
        engine.Submit(Connect("low1", "a", "d", 700 * Mbps, priority: 10));
        engine.Submit(Connect("low2", "a", "d", 700 * Mbps, priority: 20));
        Assert.All(engine.Intents, i => Assert.Equal(Placement.Placed, i.Placement));

        var preview = engine.Preview(Connect("high", "a", "d", 500 * Mbps, priority: 500)).Compilation!;
        Assert.Equal(["low1"], preview.Displaced.ToArray());
        Assert.Contains(preview.Links, l => l.Link == AB && l.ReservedBeforeBps == 700 * Mbps && l.ReservedAfterBps == 500 * Mbps);
        Assert.Equal(Placement.Placed, engine.Get("low1")!.Placement);

        var (_, changed) = engine.Submit(Connect("high", "a", "d", 500 * Mbps, priority: 500));
        Assert.Equal(["high", "low1"], changed.Select(c => c.Id));
        Assert.Equal(Placement.Placed, engine.Get("high")!.Placement);
        var low1 = engine.Get("low1")!;
        Assert.Equal(Placement.Failed, low1.Placement);
        Assert.StartsWith("displaced by intent 'high' (priority 500)", low1.Reason);
        Assert.Equal(500 * Mbps, engine.Ledger.Reserved(engine.Graph.LinkIndex(AB)));
    }

    [Fact]
    public void An_intent_the_ledger_cannot_fit_at_its_priority_conflicts_naming_the_holders()
    {
        var engine = Engine();
        engine.Submit(Connect("first", "a", "d", 700 * Mbps, priority: 300));
        engine.Submit(Connect("second", "a", "d", 700 * Mbps, priority: 300));
        engine.Submit(Connect("third", "a", "d", 700 * Mbps, priority: 300));
        var third = engine.Get("third")!;
        Assert.Equal(Placement.Failed, third.Placement);
        Assert.Contains("no path with 700000000 bps free at priority 300", third.Reason);
        Assert.Contains(third.Conflicts, c => c.Kind == ConflictKind.Capacity && c.OtherIntent == "first" && c.Link == AB);
        Assert.Equal(700 * Mbps, engine.Ledger.Reserved(engine.Graph.LinkIndex(AB)));
    }

    [Fact]
    public void Withdrawing_frees_the_capacity_and_a_failed_intent_is_retried()
    {
        var engine = Engine();
        engine.Submit(Connect("x", "a", "d", 700 * Mbps));
        engine.Submit(Connect("y", "a", "d", 700 * Mbps));
        engine.Submit(Connect("z", "a", "d", 700 * Mbps));
        Assert.Equal(Placement.Failed, engine.Get("z")!.Placement);

        var changed = engine.Withdraw("x")!;
        Assert.Contains(changed, c => c.Id == "z");
        Assert.Equal(Placement.Placed, engine.Get("z")!.Placement);
        Assert.Null(engine.Get("x"));
    }
}
