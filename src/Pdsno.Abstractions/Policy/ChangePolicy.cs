using System.Collections.Immutable;

namespace Pdsno.Abstractions.Policy;

/// <summary>
/// How governed changes are classified, approved and executed: part of the tenant's global policy, so regions hold
/// the rules they approve LOW changes by.
/// </summary>
/// <param name="MediumRoles">Device roles whose every change is at least MEDIUM.</param>
/// <param name="HighRegionCount">A change touching more regions than this is HIGH.</param>
/// <param name="HighDeviceCount">A change touching more devices than this is HIGH.</param>
/// <param name="MediumApprovals">Approvals a MEDIUM change needs in each region it touches.</param>
/// <param name="HighApprovals">Global approvals a HIGH change needs.</param>
/// <param name="EmergenciesPerHour">Emergency changes the tenant may make in any hour.</param>
/// <param name="TokenLifetime">How long an execution token stays valid after the approval that issued it.</param>
/// <param name="TargetTimeout">How long one device may take to apply and read back.</param>
/// <param name="MaxTargets">The most devices one change may target.</param>
/// <param name="IntentRoutesLow">Static routes an intent installs count as LOW (the other rules still apply).</param>
/// <param name="ParallelTargets">How many targets of a change are applied at once (a wave); each wave is durable before
/// its devices are touched, and a failure rolls back every applied target in reverse order.</param>
[GenerateSerializer, Immutable, Alias("pdsno.change-policy")]
public sealed record ChangePolicy(
    [property: Id(0)] ImmutableArray<string> MediumRoles,
    [property: Id(1)] int HighRegionCount,
    [property: Id(2)] int HighDeviceCount,
    [property: Id(3)] int MediumApprovals,
    [property: Id(4)] int HighApprovals,
    [property: Id(5)] int EmergenciesPerHour,
    [property: Id(6)] TimeSpan TokenLifetime,
    [property: Id(7)] TimeSpan TargetTimeout,
    [property: Id(8)] int MaxTargets,
    [property: Id(9)] bool IntentRoutesLow = false,
    [property: Id(10)] int ParallelTargets = 16)
{
    /// <summary>The rules of a tenant that has not set its own.</summary>
    public static ChangePolicy Default { get; } = new(["core", "distribution"], 1, 20, 1, 1, 3, TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), 1000);

    /// <summary>Lists what is wrong with these rules, empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Range(problems, "highRegionCount", HighRegionCount, 1, 10_000);
        Range(problems, "highDeviceCount", HighDeviceCount, 1, 100_000);
        Range(problems, "mediumApprovals", MediumApprovals, 1, 10);
        Range(problems, "highApprovals", HighApprovals, 1, 10);
        Range(problems, "emergenciesPerHour", EmergenciesPerHour, 0, 1000);
        Range(problems, "maxTargets", MaxTargets, 1, 10_000);
        Range(problems, "parallelTargets", ParallelTargets, 1, 256);
        if (TokenLifetime < TimeSpan.FromMinutes(1) || TokenLifetime > TimeSpan.FromDays(7))
        {
            problems.Add($"tokenLifetime {TokenLifetime} is outside 1 minute..7 days");
        }

        if (TargetTimeout < TimeSpan.FromMilliseconds(100) || TargetTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"targetTimeout {TargetTimeout} is outside 100 ms..10 minutes");
        }

        if (!MediumRoles.IsDefault && MediumRoles.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 64))
        {
            problems.Add("mediumRoles must be names of 1 to 64 characters");
        }

        return problems;
    }

    private static void Range(List<string> problems, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{name} {value} is outside {min}..{max}");
        }
    }
}
