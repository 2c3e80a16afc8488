using System.Collections.Immutable;
using Pdsno.Abstractions.Analytics;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Analytics;

namespace Pdsno.UnitTests.Analytics;

public sealed class AnalyticsRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly CongestionOutlook Busy = new(At, 0.8, 83, 81, 80);
    private static readonly AnomalyFinding Odd = new(At, 7.5, 90, 30, 10, 50);

    private static SeriesVerdict V(string link, CongestionOutlook? c = null, AnomalyFinding? a = null) => new(link, "A_TO_B", "region-1", "d1", "eth0", c, a);

    [Fact]
    public void A_prediction_is_raised_once_while_it_lasts_and_cleared_once_when_it_goes()
    {
        var (congested, anomalous, changes) = AnalyticsRules.Judge(ImmutableDictionary<string, DateTimeOffset>.Empty, [], [V("l1", Busy), V("l2")]);
        var raised = Assert.Single(changes);
        Assert.Equal((TopologyEventType.CongestionPredicted, "l1"), (raised.Type, raised.Verdict.Link));
        Assert.Contains("\"confidence\":0.8", raised.NewValue, StringComparison.Ordinal);
        Assert.Contains("\"expectedAt\":\"2026-11-02T09:00:00Z\"", raised.NewValue, StringComparison.Ordinal);

        (congested, anomalous, changes) = AnalyticsRules.Judge(congested, anomalous, [V("l1", Busy with { ExpectedAt = At.AddHours(1) })]);
        Assert.Empty(changes);

        // A link without a verdict this round (too little history) keeps its prediction.
        (congested, anomalous, changes) = AnalyticsRules.Judge(congested, anomalous, []);
        Assert.Empty(changes);

        (congested, _, changes) = AnalyticsRules.Judge(congested, anomalous, [V("l1")]);
        var clear = Assert.Single(changes);
        Assert.Equal((TopologyEventType.CongestionCleared, "2026-11-02T09:00:00Z"), (clear.Type, clear.OldValue));
        Assert.Empty(congested);
    }

    [Fact]
    public void An_anomaly_lasting_several_rounds_raises_one_event_and_a_later_one_raises_another()
    {
        var (c, a, changes) = AnalyticsRules.Judge(ImmutableDictionary<string, DateTimeOffset>.Empty, [], [V("l1", a: Odd)]);
        var detected = Assert.Single(changes);
        Assert.Equal(TopologyEventType.AnomalyDetected, detected.Type);
        Assert.Contains("\"score\":7.5", detected.NewValue, StringComparison.Ordinal);
        Assert.Contains("\"expectedLowPercent\":10", detected.NewValue, StringComparison.Ordinal);

        (c, a, changes) = AnalyticsRules.Judge(c, a, [V("l1", a: Odd)]);
        Assert.Empty(changes);
        (c, a, changes) = AnalyticsRules.Judge(c, a, [V("l1")]);
        Assert.Empty(changes);
        (_, _, changes) = AnalyticsRules.Judge(c, a, [V("l1", a: Odd)]);
        Assert.Single(changes);
    }

    [Fact]
    public void Interfaces_without_a_link_are_kept_apart_by_device_and_interface_so_each_raises_its_own_anomaly()
    {
        var eth1 = new SeriesVerdict("", "IN", "region-1", "d1", "eth1", null, Odd);
        var eth2 = eth1 with { Interface = "eth2" };
        Assert.Equal("d1:eth1|IN", eth1.Key);
        var (_, anomalous, changes) = AnalyticsRules.Judge(ImmutableDictionary<string, DateTimeOffset>.Empty, [], [eth1, eth2]);
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal(TopologyEventType.AnomalyDetected, c.Type));
        Assert.Equal(["d1:eth1|IN", "d1:eth2|IN"], anomalous.Order(StringComparer.Ordinal));
        Assert.Contains("\"direction\":\"IN\"", changes[0].NewValue, StringComparison.Ordinal);
    }
}
