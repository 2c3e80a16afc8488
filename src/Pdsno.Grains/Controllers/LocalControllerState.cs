using System.Collections.Immutable;

namespace Pdsno.Grains.Controllers;

/// <summary>The durable state of a local controller: its configuration only. Cycle counts are not persisted,
/// so a cycle that finds nothing new writes nothing.</summary>
[GenerateSerializer, Alias("pdsno.controller-state")]
public sealed class LocalControllerState
{
    [Id(0)] public string Driver { get; set; } = "";

    [Id(1)] public ImmutableArray<string> Targets { get; set; } = [];

    [Id(2)] public TimeSpan Interval { get; set; }
}
