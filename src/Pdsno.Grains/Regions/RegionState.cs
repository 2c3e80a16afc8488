using System.Collections.Immutable;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Events;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Regions;

namespace Pdsno.Grains.Regions;

/// <summary>The durable state of a region grain.</summary>
[GenerateSerializer, Alias("pdsno.region-state")]
public sealed class RegionState : IOutboxState
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public ImmutableArray<string> Controllers { get; set; } = [];

    [Id(2)] public string Driver { get; set; } = "";

    [Id(3)] public ImmutableArray<string> Targets { get; set; } = [];

    /// <summary>The last good policy: the region keeps running on it when the global tier is out of reach.</summary>
    [Id(4)] public GlobalPolicy Policy { get; set; } = GlobalPolicy.Default;

    /// <summary>Member devices and the controller that answers for each.</summary>
    [Id(5)] public ImmutableDictionary<string, string> Members { get; set; } = ImmutableDictionary<string, string>.Empty;

    [Id(6)] public ImmutableDictionary<string, LinkState> Links { get; set; } = ImmutableDictionary<string, LinkState>.Empty;

    [Id(7)] public ImmutableArray<EventDraft> Outbox { get; set; } = [];

    [Id(8)] public ImmutableArray<string> ChangedLinks { get; set; } = [];

    /// <summary>The name operators gave the region; null shows the key.</summary>
    [Id(9)] public string? DisplayName { get; set; }

    /// <summary>True once the region was deleted; its key can be created again.</summary>
    [Id(10)] public bool Deleted { get; set; }
}
