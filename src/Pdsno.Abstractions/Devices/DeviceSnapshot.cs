using System.Collections.Immutable;
using Pdsno.Abstractions.Ids;

namespace Pdsno.Abstractions.Devices;

/// <summary>The durable state of one interface (no counters: those are telemetry, kept in memory).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.interface-state")]
public sealed record InterfaceState(
    [property: Id(0)] int Index,
    [property: Id(1)] string Name,
    [property: Id(2)] string Mac,
    [property: Id(3)] long SpeedBps,
    [property: Id(4)] AdminStatus Admin,
    [property: Id(5)] OperStatus Oper);

/// <summary>A neighbour a device reports on one of its interfaces.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.neighbor")]
public sealed record Neighbor(
    [property: Id(0)] string LocalInterface,
    [property: Id(1)] string RemoteChassisId,
    [property: Id(2)] string RemotePort);

/// <summary>A device as its grain knows it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.device-snapshot")]
public sealed record DeviceSnapshot(
    [property: Id(0)] DeviceId Id,
    [property: Id(1)] string ChassisId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Vendor,
    [property: Id(4)] string Model,
    [property: Id(5)] string OsVersion,
    [property: Id(6)] string ManagementAddress,
    [property: Id(7)] string Role,
    [property: Id(8)] string Region,
    [property: Id(9)] DeviceStatus Status,
    [property: Id(10)] ImmutableArray<InterfaceState> Interfaces,
    [property: Id(11)] ImmutableArray<Neighbor> Neighbors,
    [property: Id(12)] long Version,
    [property: Id(13)] DateTimeOffset FirstSeen,
    [property: Id(14)] DateTimeOffset StatusSince,
    [property: Id(15)] ImmutableArray<string> Problems = default);

/// <summary>One counter reading of one interface, with the rates derived from the previous reading.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.telemetry-sample")]
public sealed record TelemetrySample(
    [property: Id(0)] string Interface,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] ulong InOctets,
    [property: Id(3)] ulong OutOctets,
    [property: Id(4)] double InBitsPerSecond,
    [property: Id(5)] double OutBitsPerSecond,
    [property: Id(6)] ulong InErrors,
    [property: Id(7)] ulong OutErrors,
    [property: Id(8)] double? InUtilization = null,
    [property: Id(9)] double? OutUtilization = null);

/// <summary>What a device grain did with an observation, for the region's bookkeeping.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.observe-outcome")]
public sealed record ObserveOutcome(
    [property: Id(0)] bool IsNew,
    [property: Id(1)] bool Changed,
    [property: Id(2)] DeviceStatus Status);
