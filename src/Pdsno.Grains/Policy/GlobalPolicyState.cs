using System.Collections.Immutable;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Grains.Policy;

/// <summary>The durable state of a tenant's global policy grain.</summary>
[GenerateSerializer, Alias("pdsno.global-policy-state")]
public sealed class GlobalPolicyState
{
    [Id(0)] public GlobalPolicy Policy { get; set; } = GlobalPolicy.Default;

    [Id(1)] public ImmutableSortedSet<string> Regions { get; set; } = [];

    /// <summary>The emergency changes of about the last hour, oldest first: the tenant's rate limit counts them.</summary>
    [Id(2)] public ImmutableArray<EmergencyUse> Emergencies { get; set; } = [];
}

/// <summary>One emergency change counted against the tenant's limit.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.emergency-use")]
public sealed record EmergencyUse([property: Id(0)] string Change, [property: Id(1)] DateTimeOffset At);
