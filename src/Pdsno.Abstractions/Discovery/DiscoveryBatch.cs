using System.Collections.Immutable;
using Pdsno.Abstractions.Ids;

namespace Pdsno.Abstractions.Discovery;

/// <summary>
/// A slice of one controller's cycle on the region's discovery stream. A cycle is several batches, the
/// last of which has <see cref="EndOfCycle"/> set; the region counts missed devices only then, and only
/// when it received every batch of the cycle (memory streams can lose messages when a silo dies).
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.discovery-batch")]
public sealed record DiscoveryBatch(
    [property: Id(0)] ControllerId Controller,
    [property: Id(1)] long Cycle,
    [property: Id(2)] DateTimeOffset CycleStartedAt,
    [property: Id(3)] ImmutableArray<DeviceObservation> Observations,
    [property: Id(4)] bool EndOfCycle,
    [property: Id(5)] int BatchIndex);
