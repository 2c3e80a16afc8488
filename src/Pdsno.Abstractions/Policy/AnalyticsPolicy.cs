using System.Collections.Immutable;

namespace Pdsno.Abstractions.Policy;

/// <summary>
/// How long interface history is kept and when a forecast becomes an event: part of the tenant's global policy, so
/// retention and congestion warnings follow the same versioned rules as discovery and changes.
/// </summary>
/// <param name="MinuteRetentionDays">Whole days the 1-minute history (average and maximum) is kept.</param>
/// <param name="HourlyRetentionDays">Whole days the 1-hour rollup is kept; forecasts read it where the minutes are gone.</param>
/// <param name="CongestionThresholdPercent">The utilization the forecast's 95th percentile must reach to predict congestion.</param>
/// <param name="CongestionHorizon">How far ahead a predicted crossing raises an event.</param>
/// <param name="ClosedLoop">What a predicted congestion does to the intents over the link, in regions not named in
/// <paramref name="ClosedLoopRegions"/>.</param>
/// <param name="ClosedLoopRegions">The regions whose closed loop differs from <paramref name="ClosedLoop"/>.</param>
[GenerateSerializer, Immutable, Alias("pdsno.analytics-policy")]
public sealed record AnalyticsPolicy(
    [property: Id(0)] int MinuteRetentionDays,
    [property: Id(1)] int HourlyRetentionDays,
    [property: Id(2)] double CongestionThresholdPercent,
    [property: Id(3)] TimeSpan CongestionHorizon,
    [property: Id(4)] ClosedLoopMode ClosedLoop = ClosedLoopMode.Propose,
    [property: Id(5)] ImmutableDictionary<string, ClosedLoopMode>? ClosedLoopRegions = null)
{
    /// <summary>The closed loop of a region: its own when the policy names it, the tenant's otherwise.</summary>
    public ClosedLoopMode LoopIn(string? region) =>
        region is not null && ClosedLoopRegions is { } regions && regions.TryGetValue(region, out var mode) ? mode : ClosedLoop;

    /// <summary>The fewest days of hourly history kept: a forecast needs eight days.</summary>
    public const int MinimumHourlyDays = 8;

    /// <summary>The rules of a tenant that has not set its own: minutes for a week, hours for 90 days, 80% within a day.</summary>
    public static AnalyticsPolicy Default { get; } = new(7, 90, 80, TimeSpan.FromDays(1));

    /// <summary>Lists what is wrong with these rules, empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MinuteRetentionDays is < 1 or > 35)
        {
            problems.Add($"minuteRetentionDays {MinuteRetentionDays} is outside 1..35");
        }

        if (HourlyRetentionDays is < MinimumHourlyDays or > 400)
        {
            problems.Add($"hourlyRetentionDays {HourlyRetentionDays} is outside {MinimumHourlyDays}..400 (a forecast needs {MinimumHourlyDays} days)");
        }

        if (CongestionThresholdPercent is <= 0 or > 100)
        {
            problems.Add($"congestionThresholdPercent {CongestionThresholdPercent} must be above 0 and at most 100");
        }

        if (CongestionHorizon < TimeSpan.FromHours(1) || CongestionHorizon > TimeSpan.FromDays(7))
        {
            problems.Add($"congestionHorizon {CongestionHorizon} is outside 1 hour..7 days");
        }

        foreach (var region in (ClosedLoopRegions ?? ImmutableDictionary<string, ClosedLoopMode>.Empty).Keys.Where(r => string.IsNullOrWhiteSpace(r) || r.Length > 64))
        {
            problems.Add($"closedLoopRegions: '{region}' is not a region id (1 to 64 characters)");
        }

        return problems;
    }
}

/// <summary>What a predicted congestion does to the intents over the link. Stored by name: never rename a member.</summary>
public enum ClosedLoopMode
{
    /// <summary>Nothing: the prediction is an event only.</summary>
    Off,

    /// <summary>The intents are re-optimized and the reroute is proposed as a change that waits for an approver.</summary>
    Propose,

    /// <summary>The intents are re-optimized and the reroute is installed by a change the change rules may count LOW (executed at once when LOW).</summary>
    Auto,
}
