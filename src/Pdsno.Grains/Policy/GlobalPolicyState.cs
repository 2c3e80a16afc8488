using System.Collections.Immutable;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Grains.Policy;

/// <summary>The durable state of a tenant's global policy grain.</summary>
[GenerateSerializer, Alias("pdsno.global-policy-state")]
public sealed class GlobalPolicyState
{
    [Id(0)] public GlobalPolicy Policy { get; set; } = GlobalPolicy.Default;

    [Id(1)] public ImmutableSortedSet<string> Regions { get; set; } = [];
}
