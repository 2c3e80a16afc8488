using System.Collections.Immutable;
using System.Globalization;
using Pdsno.Abstractions.Events;

namespace Pdsno.Grains.Devices;

/// <summary>Which interfaces crossed the utilization threshold, up or back down past the hysteresis.</summary>
public static class UtilizationRule
{
    /// <summary>
    /// Whether an interface is high after a reading of <paramref name="utilization"/> percent: it becomes high at the
    /// threshold and normal only below threshold minus hysteresis; no reading (null) changes nothing.
    /// </summary>
    public static bool Cross(bool wasHigh, double? utilization, double thresholdPercent, double hysteresisPercent) =>
        utilization switch
        {
            null => wasHigh,
            { } u when !wasHigh => u >= thresholdPercent,
            { } u => u >= thresholdPercent - hysteresisPercent,
        };

    /// <summary>
    /// The next set of high interfaces and one change per crossing. Interfaces not in <paramref name="present"/>
    /// leave the set without an event (their removal is an event of its own).
    /// </summary>
    public static (ImmutableHashSet<string> High, IReadOnlyList<DeviceChange> Changes) Evaluate(
        ImmutableHashSet<string> high,
        IReadOnlyDictionary<string, double?> latest,
        IEnumerable<string> present,
        TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(high);
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(options);
        var names = present.ToHashSet(StringComparer.Ordinal);
        var next = high.Intersect(names);
        var changes = new List<DeviceChange>();
        foreach (var (name, utilization) in latest.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var was = next.Contains(name);
            var now = Cross(was, utilization, options.ThresholdPercent, options.HysteresisPercent);
            if (now == was || !names.Contains(name))
            {
                continue;
            }

            var value = utilization!.Value.ToString("0.##", CultureInfo.InvariantCulture);
            if (now)
            {
                next = next.Add(name);
                changes.Add(new DeviceChange(TopologyEventType.InterfaceUtilizationHigh, name, null, value));
            }
            else
            {
                next = next.Remove(name);
                changes.Add(new DeviceChange(TopologyEventType.InterfaceUtilizationNormal, name, null, value));
            }
        }

        return (next, changes);
    }
}
