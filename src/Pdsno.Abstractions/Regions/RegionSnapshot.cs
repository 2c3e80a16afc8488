using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;

namespace Pdsno.Abstractions.Regions;

/// <summary>A link between two device interfaces as the region reconciled it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.link-state")]
public sealed record LinkState(
    [property: Id(0)] string Id,
    [property: Id(1)] string DeviceA,
    [property: Id(2)] string InterfaceA,
    [property: Id(3)] string DeviceB,
    [property: Id(4)] string InterfaceB,
    [property: Id(5)] long SpeedBps,
    [property: Id(6)] LinkStatus Status,
    [property: Id(7)] DateTimeOffset Since);

/// <summary>A region as its grain knows it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.region-snapshot")]
public sealed record RegionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] ImmutableArray<string> Controllers,
    [property: Id(2)] ImmutableDictionary<string, DeviceStatus> Devices,
    [property: Id(3)] ImmutableArray<LinkState> Links,
    [property: Id(4)] long PolicyVersion,
    [property: Id(5)] long Version,
    [property: Id(6)] string? DisplayName,
    [property: Id(7)] bool Exists);

/// <summary>How a region is set up: its controllers and the driver they run.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.region-setup")]
public sealed record RegionSetup(
    [property: Id(0)] ImmutableArray<string> Controllers,
    [property: Id(1)] string Driver,
    [property: Id(2)] ImmutableArray<string> Targets);

/// <summary>A local controller's schedule and its last cycle.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.controller-status")]
public sealed record ControllerStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Driver,
    [property: Id(2)] TimeSpan Interval,
    [property: Id(3)] long CyclesRun,
    [property: Id(4)] DateTimeOffset? LastCycleStarted,
    [property: Id(5)] DateTimeOffset? LastCycleFinished,
    [property: Id(6)] int LastCycleDevices,
    [property: Id(7)] string? LastError,
    [property: Id(8)] bool Overdue);
