namespace Pdsno.Abstractions.Policy;

/// <summary>
/// How long interface history is kept and when a forecast becomes an event: part of the tenant's global policy, so
/// retention and congestion warnings follow the same versioned rules as discovery and changes.
/// </summary>
/// <param name="MinuteRetentionDays">Whole days the 1-minute history (average and maximum) is kept.</param>
/// <param name="HourlyRetentionDays">Whole days the 1-hour rollup is kept; forecasts read it where the minutes are gone.</param>
/// <param name="CongestionThresholdPercent">The utilization the forecast's 95th percentile must reach to predict congestion.</param>
/// <param name="CongestionHorizon">How far ahead a predicted crossing raises an event.</param>
[GenerateSerializer, Immutable, Alias("pdsno.analytics-policy")]
public sealed record AnalyticsPolicy(
    [property: Id(0)] int MinuteRetentionDays,
    [property: Id(1)] int HourlyRetentionDays,
    [property: Id(2)] double CongestionThresholdPercent,
    [property: Id(3)] TimeSpan CongestionHorizon)
{
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

        return problems;
    }
}
