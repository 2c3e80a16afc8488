using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;

namespace Pdsno.Abstractions.Discovery;

/// <summary>One interface as a driver saw it: identity, state and its raw counters at that instant.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.interface-observation")]
public sealed record InterfaceObservation(
    [property: Id(0)] int Index,
    [property: Id(1)] string Name,
    [property: Id(2)] string Mac,
    [property: Id(3)] long SpeedBps,
    [property: Id(4)] AdminStatus Admin,
    [property: Id(5)] OperStatus Oper,
    [property: Id(6)] ulong InOctets,
    [property: Id(7)] ulong OutOctets,
    [property: Id(8)] ulong InErrors,
    [property: Id(9)] ulong OutErrors,
    [property: Id(10)] bool Counters64 = true);

/// <summary>An LLDP-style neighbour entry: on local interface, the remote chassis and port.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.neighbor-observation")]
public sealed record NeighborObservation(
    [property: Id(0)] string LocalInterface,
    [property: Id(1)] string RemoteChassisId,
    [property: Id(2)] string RemotePort,
    [property: Id(3)] string? RemoteSystemName);

/// <summary>Everything a driver learned about one device in one cycle.</summary>
/// <remarks>
/// <see cref="Problems"/> lists what was wrong with the device's answers (tables that failed, values that make no
/// sense); the device is still observed with what could be read, and the problems are recorded on it.
/// <see cref="Config"/> is the running config where the driver can read it (only <see cref="ConfigSections"/> of it).
/// </remarks>
[GenerateSerializer, Immutable, Alias("pdsno.device-observation")]
public sealed record DeviceObservation(
    [property: Id(0)] string ChassisId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Vendor,
    [property: Id(3)] string Model,
    [property: Id(4)] string OsVersion,
    [property: Id(5)] string ManagementAddress,
    [property: Id(6)] string Role,
    [property: Id(7)] ImmutableArray<InterfaceObservation> Interfaces,
    [property: Id(8)] ImmutableArray<NeighborObservation> Neighbors,
    [property: Id(9)] DateTimeOffset ObservedAt,
    [property: Id(10)] long? SysUpTimeHundredths = null,
    [property: Id(11)] ImmutableArray<string> Problems = default,
    [property: Id(12)] DeviceConfig? Config = null,
    [property: Id(13)] ConfigSections ConfigSections = ConfigSections.None);
