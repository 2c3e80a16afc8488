using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Events;

namespace Pdsno.Grains.Devices;

/// <summary>Who a device is, as its last observation said.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.device-identity")]
public sealed record DeviceIdentity(
    [property: Id(0)] string ChassisId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Vendor,
    [property: Id(3)] string Model,
    [property: Id(4)] string OsVersion,
    [property: Id(5)] string ManagementAddress,
    [property: Id(6)] string Role);

/// <summary>The durable state of a device grain. Telemetry is deliberately absent: it is never persisted.</summary>
[GenerateSerializer, Alias("pdsno.device-state")]
public sealed class DeviceState : IOutboxState
{
    /// <summary>Increases with every persisted change; the read model and event log are keyed by it.</summary>
    [Id(0)] public long Version { get; set; }

    [Id(1)] public DeviceIdentity? Identity { get; set; }

    [Id(2)] public string Region { get; set; } = "";

    [Id(3)] public DeviceStatus Status { get; set; }

    [Id(4)] public DateTimeOffset StatusSince { get; set; }

    [Id(5)] public DateTimeOffset FirstSeen { get; set; }

    [Id(6)] public ImmutableArray<InterfaceState> Interfaces { get; set; } = [];

    [Id(7)] public ImmutableArray<Neighbor> Neighbors { get; set; } = [];

    /// <summary>Events written with the state but not yet known to be in the event log; replayed on activation.</summary>
    [Id(8)] public ImmutableArray<EventDraft> Outbox { get; set; } = [];

    /// <summary>Interfaces whose utilization is above the threshold; persisted so a crossing is announced once.</summary>
    [Id(9)] public ImmutableHashSet<string> HighUtilization { get; set; } = [];

    /// <summary>What was wrong with the device's data in its last observation (see <see cref="DeviceRules.Problems"/>).</summary>
    [Id(10)] public ImmutableArray<string> Problems { get; set; } = [];
}
