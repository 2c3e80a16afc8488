namespace Pdsno.Abstractions.Policy;

/// <summary>The tenant-wide policy the global tier publishes down to regions.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.global-policy")]
public sealed record GlobalPolicy(
    [property: Id(0)] long Version,
    [property: Id(1)] TimeSpan DiscoveryInterval,
    [property: Id(2)] int MissedCyclesUntilInactive)
{
    /// <summary>The policy of a tenant nobody has configured yet.</summary>
    public static GlobalPolicy Default { get; } = new(0, TimeSpan.FromSeconds(30), 3);

    /// <summary>The shortest discovery interval accepted.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    /// <summary>Lists what is wrong with this policy, empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (DiscoveryInterval < MinimumInterval)
        {
            problems.Add($"discoveryInterval {DiscoveryInterval} is shorter than the minimum {MinimumInterval}");
        }

        if (DiscoveryInterval > TimeSpan.FromDays(1))
        {
            problems.Add($"discoveryInterval {DiscoveryInterval} is longer than one day");
        }

        if (MissedCyclesUntilInactive is < 1 or > 1000)
        {
            problems.Add($"missedCyclesUntilInactive {MissedCyclesUntilInactive} is outside 1..1000");
        }

        return problems;
    }
}
