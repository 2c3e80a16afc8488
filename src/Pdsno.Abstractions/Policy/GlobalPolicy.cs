namespace Pdsno.Abstractions.Policy;

/// <summary>The tenant-wide policy the global tier publishes down to regions.</summary>
/// <remarks>
/// With <see cref="MinimumInterval"/> and <see cref="MaximumInterval"/> unset a region runs on the fixed
/// <see cref="DiscoveryInterval"/>; with them set it adapts between the two, starting from the interval.
/// </remarks>
[GenerateSerializer, Immutable, Alias("pdsno.global-policy")]
public sealed record GlobalPolicy(
    [property: Id(0)] long Version,
    [property: Id(1)] TimeSpan DiscoveryInterval,
    [property: Id(2)] int MissedCyclesUntilInactive,
    [property: Id(3)] TimeSpan? MinimumInterval = null,
    [property: Id(4)] TimeSpan? MaximumInterval = null,
    [property: Id(5)] ChangePolicy? ChangeRules = null,
    [property: Id(6)] AnalyticsPolicy? AnalyticsRules = null)
{
    /// <summary>The change rules in force: a policy stored before changes existed has the defaults.</summary>
    public ChangePolicy Changes => ChangeRules ?? ChangePolicy.Default;

    /// <summary>The analytics rules in force: a policy stored before analytics existed has the defaults.</summary>
    public AnalyticsPolicy Analytics => AnalyticsRules ?? AnalyticsPolicy.Default;

    /// <summary>The policy of a tenant nobody has configured yet.</summary>
    public static GlobalPolicy Default { get; } = new(0, TimeSpan.FromSeconds(30), 3);

    /// <summary>The shortest discovery interval accepted.</summary>
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(1);

    /// <summary>The shortest interval a region may adapt down to: the fixed interval when none is set.</summary>
    public TimeSpan EffectiveMinimumInterval => MinimumInterval ?? DiscoveryInterval;

    /// <summary>The longest interval a region may adapt up to: the fixed interval when none is set.</summary>
    public TimeSpan EffectiveMaximumInterval => MaximumInterval ?? DiscoveryInterval;

    /// <summary>Lists what is wrong with this policy, empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (DiscoveryInterval < ShortestInterval)
        {
            problems.Add($"discoveryInterval {DiscoveryInterval} is shorter than the minimum {ShortestInterval}");
        }

        if (DiscoveryInterval > TimeSpan.FromDays(1))
        {
            problems.Add($"discoveryInterval {DiscoveryInterval} is longer than one day");
        }

        if (MinimumInterval is { } min)
        {
            if (min < ShortestInterval)
            {
                problems.Add($"minimumInterval {min} is shorter than the minimum {ShortestInterval}");
            }

            if (min > DiscoveryInterval)
            {
                problems.Add($"minimumInterval {min} is longer than discoveryInterval {DiscoveryInterval}");
            }
        }

        if (MaximumInterval is { } max)
        {
            if (max < DiscoveryInterval)
            {
                problems.Add($"maximumInterval {max} is shorter than discoveryInterval {DiscoveryInterval}");
            }

            if (max > TimeSpan.FromDays(1))
            {
                problems.Add($"maximumInterval {max} is longer than one day");
            }
        }

        if (MissedCyclesUntilInactive is < 1 or > 1000)
        {
            problems.Add($"missedCyclesUntilInactive {MissedCyclesUntilInactive} is outside 1..1000");
        }

        problems.AddRange(Changes.Problems());
        problems.AddRange(Analytics.Problems());
        return problems;
    }
}
