using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Intents;

namespace Pdsno.UnitTests.Intents;

public class IntentRoutingTests
{
    private static readonly StaticRoute ToB = new("10.2.0.0/24", "192.0.2.2", "eth1");
    private static readonly StaticRoute ToBOther = new("10.2.0.0/24", "192.0.2.9", "eth2");
    private static readonly StaticRoute ToA = new("10.1.0.0/24", "192.0.2.1", "eth0");

    [Fact]
    public void A_reroute_removes_the_routes_the_intent_no_longer_wants_and_adds_only_what_the_device_lacks()
    {
        ImmutableArray<IntentRoutes> held = [new("r1", [ToB, ToA])];
        ImmutableArray<IntentRoutes> desired = [new("r1", [ToBOther, ToA]), new("r2", [ToA])];
        var current = new Dictionary<string, ImmutableArray<StaticRoute>>
        {
            ["r1"] = [ToB, ToA],
            ["r2"] = [ToA], // another intent put it there already
        };

        var targets = IntentRouting.Merge([new RouteMove("i", held, desired)], current).Targets;

        var r1 = Assert.Single(targets);
        Assert.Equal("r1", r1.Device);
        Assert.Equal([new RouteRef(ToB.Prefix, ToB.NextHop)], r1.Patch.RemoveRoutes.ToArray());
        Assert.Equal([ToBOther], r1.Patch.AddRoutes.ToArray());
    }

    [Fact]
    public void Withdrawing_removes_only_routes_still_on_the_device_and_skips_devices_that_are_gone()
    {
        ImmutableArray<IntentRoutes> held = [new("r1", [ToB, ToA]), new("gone", [ToA])];
        var current = new Dictionary<string, ImmutableArray<StaticRoute>> { ["r1"] = [ToA] };

        var target = Assert.Single(IntentRouting.Merge([new RouteMove("i", held, [])], current).Targets);

        Assert.Equal([new RouteRef(ToA.Prefix, ToA.NextHop)], target.Patch.RemoveRoutes.ToArray());
        Assert.Empty(target.Patch.AddRoutes);
    }

    [Fact]
    public void Intents_merged_into_one_change_give_one_target_per_device_and_each_names_only_the_devices_it_changes()
    {
        var toC = new StaticRoute("10.3.0.0/24", "192.0.2.3", "eth1");
        var current = new Dictionary<string, ImmutableArray<StaticRoute>>
        {
            ["r1"] = [ToB],
            ["r2"] = [ToA],
        };
        RouteMove[] moves =
        [
            new("leaving", [new IntentRoutes("r1", [ToB])], []),
            new("arriving", [], [new IntentRoutes("r1", [toC]), new IntentRoutes("r2", [toC])]),
            new("there-already", [], [new IntentRoutes("r2", [ToA])]),
        ];

        var (targets, intents) = IntentRouting.Merge(moves, current);

        Assert.Equal(["r1", "r2"], targets.Select(t => t.Device));
        Assert.Equal([new RouteRef(ToB.Prefix, ToB.NextHop)], targets[0].Patch.RemoveRoutes.ToArray());
        Assert.Equal([toC], targets[0].Patch.AddRoutes.ToArray());
        Assert.Empty(targets[1].Patch.RemoveRoutes);
        Assert.Equal([toC], targets[1].Patch.AddRoutes.ToArray());
        Assert.Equal(["r1"], intents[0].Devices.ToArray());
        Assert.Equal(["r1", "r2"], intents[1].Devices.ToArray());
        Assert.Empty(intents[2].Devices);
    }

    [Fact]
    public void A_route_another_intent_installs_too_stays_on_the_device_when_one_intent_gives_it_up()
    {
        var current = new Dictionary<string, ImmutableArray<StaticRoute>> { ["r1"] = [ToB, ToA] };
        var leaving = new RouteMove("leaving", [new IntentRoutes("r1", [ToB, ToA])], []);

        // Another intent, outside the change, routes to the same prefix through the same next hop on r1.
        var (targets, intents) = IntentRouting.Merge([leaving], current, [new IntentRoutes("r1", [ToB])]);
        var target = Assert.Single(targets);
        Assert.Equal([new RouteRef(ToA.Prefix, ToA.NextHop)], target.Patch.RemoveRoutes.ToArray());
        Assert.Equal(["r1"], intents[0].Devices.ToArray());

        // Or another intent of the same change does, whichever comes first.
        var staying = new RouteMove("staying", [], [new IntentRoutes("r1", [ToB, ToA])]);
        Assert.Empty(IntentRouting.Merge([staying, leaving], current).Targets);
        var (none, shares) = IntentRouting.Merge([leaving, staying], current);
        Assert.Empty(none);
        Assert.All(shares, s => Assert.Empty(s.Devices));
    }

    [Fact]
    public void The_routes_given_up_are_those_held_and_no_longer_desired_by_device()
    {
        RouteMove[] moves =
        [
            new("reroute", [new IntentRoutes("r1", [ToB, ToA]), new IntentRoutes("r2", [ToA])], [new IntentRoutes("r1", [ToBOther, ToA])]),
            new("withdraw", [new IntentRoutes("r2", [ToB])], []),
        ];

        var given = IntentRouting.GivenUp(moves);

        Assert.Equal(["r1", "r2"], given.Select(g => g.Device));
        Assert.Equal([ToB], given[0].Routes.ToArray()); // the same prefix through another next hop is another route
        Assert.Equal([ToA, ToB], given[1].Routes.ToArray());
    }

    [Fact]
    public void The_desired_routes_are_the_added_routes_of_the_compiled_patches_per_device()
    {
        var compilation = new IntentCompilation("i", true, null, null, null, 0, [], [],
            [new DevicePatch("r2", new ConfigPatch(AddRoutes: [ToA])), new DevicePatch("r1", new ConfigPatch(Location: "x"))], []);

        var desired = IntentRouting.Desired(compilation);

        Assert.Equal("r2", Assert.Single(desired).Device);
        Assert.Empty(IntentRouting.Desired(null));
    }
}
