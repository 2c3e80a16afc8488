using System.Collections.Immutable;

namespace Pdsno.Discovery.Simulation;

/// <summary>A simulated network device as the discovery simulator presents it.</summary>
public sealed record SimDevice(
    string Name,
    string Region,
    string ChassisId,
    string Vendor,
    string Model,
    string OsVersion,
    string ManagementAddress,
    string Role,
    ImmutableArray<SimInterface> Interfaces,
    double? Latitude,
    double? Longitude);
