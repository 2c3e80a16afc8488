using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Pdsno.Abstractions.Analytics;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Analytics;

/// <summary>One analytics event before the log numbers it.</summary>
public sealed record AnalyticsChange(TopologyEventType Type, SeriesVerdict Verdict, string? OldValue, string? NewValue);

/// <summary>
/// Which verdicts become events: a direction raises CONGESTION_PREDICTED once while it stays predicted and
/// CONGESTION_CLEARED when it no longer is; ANOMALY_DETECTED once per run of rounds that find an anomaly. Directions
/// without a verdict (too little history, or not analysed this round) keep what they had.
/// </summary>
public static class AnalyticsRules
{
    /// <summary>The next congested and anomalous sets and the events between them and the current ones.</summary>
    public static (ImmutableDictionary<string, DateTimeOffset> Congested, ImmutableHashSet<string> Anomalous, IReadOnlyList<AnalyticsChange> Changes) Judge(
        ImmutableDictionary<string, DateTimeOffset> congested, ImmutableHashSet<string> anomalous, IEnumerable<SeriesVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(congested);
        ArgumentNullException.ThrowIfNull(anomalous);
        ArgumentNullException.ThrowIfNull(verdicts);
        var changes = new List<AnalyticsChange>();
        foreach (var v in verdicts.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var key = v.Key;
            if (v.Congestion is { } c && !congested.ContainsKey(key))
            {
                congested = congested.SetItem(key, c.ExpectedAt);
                changes.Add(new AnalyticsChange(TopologyEventType.CongestionPredicted, v, null, Describe(v.Direction, c)));
            }
            else if (v.Congestion is null && congested.TryGetValue(key, out var was))
            {
                congested = congested.Remove(key);
                changes.Add(new AnalyticsChange(TopologyEventType.CongestionCleared, v, Time(was), v.Direction));
            }

            if (v.Anomaly is { } a && !anomalous.Contains(key))
            {
                anomalous = anomalous.Add(key);
                changes.Add(new AnalyticsChange(TopologyEventType.AnomalyDetected, v, null, Describe(v.Direction, a)));
            }
            else if (v.Anomaly is null)
            {
                anomalous = anomalous.Remove(key);
            }
        }

        return (congested, anomalous, changes);
    }

    /// <summary>The JSON of a predicted congestion, as events carry it.</summary>
    public static string Describe(string direction, CongestionOutlook c) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["direction"] = direction,
        ["expectedAt"] = Time(c.ExpectedAt),
        ["confidence"] = Math.Round(c.Confidence, 3),
        ["upperPercent"] = Math.Round(c.UpperPercent, 2),
        ["expectedPercent"] = Math.Round(c.ExpectedPercent, 2),
        ["thresholdPercent"] = c.ThresholdPercent,
    });

    /// <summary>The most intents an INTENTS_REOPTIMIZED event lists of each kind (it counts them all).</summary>
    public const int MaxIntentsInEvent = 50;

    /// <summary>The JSON of what the closed loop did, as INTENTS_REOPTIMIZED carries it.</summary>
    public static string Describe(CongestionSignal signal, LoopOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(outcome);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["direction"] = signal.Direction,
            ["mode"] = signal.Mode.ToString().ToUpperInvariant(),
            ["expectedAt"] = Time(signal.ExpectedAt),
            ["upperPercent"] = Math.Round(signal.UpperPercent, 2),
            ["movedCount"] = outcome.Moved.Length,
            ["moved"] = outcome.Moved.Take(MaxIntentsInEvent).Select(m => new Dictionary<string, object>
            {
                ["intent"] = m.Intent,
                ["oldPath"] = m.OldPath.Links,
                ["newPath"] = m.NewPath.Links,
            }).ToList(),
            ["stayedCount"] = outcome.Stayed.Length,
            ["stayed"] = outcome.Stayed.Take(MaxIntentsInEvent).Select(x => new Dictionary<string, object> { ["intent"] = x.Intent, ["reason"] = x.Reason }).ToList(),
        });
    }

    /// <summary>The JSON of an anomaly, as events carry it.</summary>
    public static string Describe(string direction, AnomalyFinding a) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["direction"] = direction,
        ["at"] = Time(a.At),
        ["score"] = Math.Round(a.Score, 2),
        ["actualPercent"] = Math.Round(a.ActualPercent, 2),
        ["expectedPercent"] = Math.Round(a.ExpectedPercent, 2),
        ["expectedLowPercent"] = Math.Round(a.LowPercent, 2),
        ["expectedHighPercent"] = Math.Round(a.HighPercent, 2),
    });

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
