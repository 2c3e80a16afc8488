using System.Collections.Immutable;
using Pdsno.Abstractions.Simulation;

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
    double? Longitude)
{
    /// <summary>The device's key in the tenant's simulated network and its faults: names are unique only within a region.</summary>
    public string Key => SimulatedFaults.DeviceKey(Region, Name);
}
