using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Policy;
using Pdsno.Grains.Analytics;
using Pdsno.Grains.Intents;
using static Pdsno.UnitTests.Intents.IntentNetwork;

namespace Pdsno.UnitTests.Intents;

public class ClosedLoopTests
{
    [Fact]
    public void Intents_over_a_link_predicted_to_congest_move_to_the_other_path_highest_priority_first_while_those_without_bandwidth_stay()
    {
        var engine = Engine();
        engine.Submit(Connect("low", "a", "d", 300 * Mbps, priority: 10));
        engine.Submit(Connect("high", "a", "d", 300 * Mbps, priority: 500));
        engine.Submit(Connect("free", "a", "d"));
        Assert.All(["low", "high", "free"], i => Assert.Equal([AB, BD], Keys(engine, i)));

        // 700 Mb/s forecast on a-b leaves 100 of its 800 reservable: neither 300 Mb/s intent fits beside it. The other
        // path has 800: the higher priority moves first and fits, the lower one then finds only 500 there and fits too.
        var (changed, moved, stayed) = engine.Reoptimize(AB, 700 * Mbps, move: true);
        Assert.Equal(["high", "low"], moved.Select(m => m.Intent));
        Assert.Equal(["high", "low"], changed.Select(c => c.Id));
        Assert.Equal([AB, BD], moved[0].OldPath.Links.ToArray());
        Assert.Equal([AC, CD], moved[0].NewPath.Links.ToArray());
        Assert.Equal("free", Assert.Single(stayed).Intent);
        Assert.Equal([AC, CD], Keys(engine, "low"));
        Assert.Equal(600 * Mbps, engine.Ledger.Reserved(engine.Graph.LinkIndex(AC)));
        Assert.Equal(0, engine.Ledger.Reserved(engine.Graph.LinkIndex(AB)));

        // While the forecast holds, a new intent with bandwidth avoids the link too; one without goes the short way.
        engine.Submit(Connect("new", "a", "d", 150 * Mbps));
        Assert.Equal([AC, CD], Keys(engine, "new"));
        engine.Submit(Connect("new-free", "a", "d"));
        Assert.Equal([AB, BD], Keys(engine, "new-free"));

        // One direction cleared while the other still predicts less: the link keeps the smaller load.
        engine.ClearForecast(AB, 200 * Mbps);
        Assert.Equal(200 * Mbps, engine.Ledger.Forecast(engine.Graph.LinkIndex(AB)));

        // Cleared: the forecast no longer counts, and the intents that moved stay where they are.
        Assert.Empty(engine.ClearForecast(AB));
        Assert.Equal(0, engine.Ledger.Forecast(engine.Graph.LinkIndex(AB)));
        engine.Submit(Connect("after", "a", "d", 100 * Mbps));
        Assert.Equal([AB, BD], Keys(engine, "after"));
        Assert.Equal([AC, CD], Keys(engine, "low"));
    }

    [Fact]
    public void An_intent_with_no_other_path_keeps_its_own_and_says_why_and_one_that_still_fits_stays()
    {
        var engine = Engine();
        engine.Submit(Connect("de", "d", "e", 200 * Mbps));
        var (changed, moved, stayed) = engine.Reoptimize(DE, 700 * Mbps, move: true);
        Assert.Empty(changed);
        Assert.Empty(moved);
        var stay = Assert.Single(stayed);
        Assert.Contains("no other path", stay.Reason, StringComparison.Ordinal);
        Assert.Equal(Placement.Placed, engine.Get("de")!.Placement);
        Assert.Equal(200 * Mbps, engine.Ledger.Reserved(engine.Graph.LinkIndex(DE)));

        // 500 Mb/s forecast on a-b leaves 300: a 100 Mb/s intent still fits there.
        engine.Submit(Connect("small", "a", "d", 100 * Mbps));
        var (_, none, fits) = engine.Reoptimize(AB, 500 * Mbps, move: true);
        Assert.Empty(none);
        Assert.Contains("still fit", Assert.Single(fits).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_loop_off_nothing_moves_and_nothing_is_counted()
    {
        var engine = Engine();
        engine.Submit(Connect("i", "a", "d", 300 * Mbps));
        var (changed, moved, stayed) = engine.Reoptimize(AB, 790 * Mbps, move: false, "the closed loop is off in the link's region");
        Assert.Empty(changed);
        Assert.Empty(moved);
        Assert.Equal("the closed loop is off in the link's region", Assert.Single(stayed).Reason);
        Assert.Equal(0, engine.Ledger.Forecast(engine.Graph.LinkIndex(AB)));
        Assert.Equal([AB, BD], Keys(engine, "i"));
        Assert.Empty(engine.Reoptimize("no-such-link", 1, move: true).Moved);
    }

    [Fact]
    public void A_region_follows_its_own_loop_when_the_policy_names_it_and_the_tenants_otherwise()
    {
        var policy = AnalyticsPolicy.Default with { ClosedLoop = ClosedLoopMode.Auto, ClosedLoopRegions = new Dictionary<string, ClosedLoopMode> { ["r2"] = ClosedLoopMode.Off }.ToImmutableDictionary() };
        Assert.Equal(ClosedLoopMode.Propose, AnalyticsPolicy.Default.LoopIn("r1"));
        Assert.Equal(ClosedLoopMode.Auto, policy.LoopIn("r1"));
        Assert.Equal(ClosedLoopMode.Off, policy.LoopIn("r2"));
        Assert.Equal(ClosedLoopMode.Auto, policy.LoopIn(null));
        Assert.Contains(
            (policy with { ClosedLoopRegions = new Dictionary<string, ClosedLoopMode> { [" "] = ClosedLoopMode.Off }.ToImmutableDictionary() }).Problems(),
            p => p.Contains("closedLoopRegions", StringComparison.Ordinal));
    }

    [Fact]
    public void The_event_says_what_moved_where_and_what_stayed_and_counts_what_it_does_not_list()
    {
        var path = new IntentPath(["a", "b", "d"], [AB, BD]);
        var other = new IntentPath(["a", "c", "d"], [AC, CD]);
        var moved = Enumerable.Range(0, AnalyticsRules.MaxIntentsInEvent + 5).Select(i => new IntentReroute($"i{i}", path, other)).ToImmutableArray();
        var json = JsonNode.Parse(AnalyticsRules.Describe(
            new CongestionSignal(AB, "A_TO_B", 93.456, new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero), ClosedLoopMode.Auto),
            new LoopOutcome(moved, [new IntentStay("x", "it reserves no bandwidth")])))!;
        Assert.Equal("AUTO", json["mode"]!.GetValue<string>());
        Assert.Equal(93.46, json["upperPercent"]!.GetValue<double>());
        Assert.Equal(AnalyticsRules.MaxIntentsInEvent + 5, json["movedCount"]!.GetValue<int>());
        Assert.Equal(AnalyticsRules.MaxIntentsInEvent, json["moved"]!.AsArray().Count);
        Assert.Equal(CD, json["moved"]![0]!["newPath"]![1]!.GetValue<string>());
        Assert.Equal("x", json["stayed"]![0]!["intent"]!.GetValue<string>());
    }

    private static string[] Keys(IntentEngine engine, string intent) =>
        [.. engine.Get(intent)!.Plan!.Links!.Select(l => engine.Graph.Link(l).Key)];
}
