using Pdsno.Abstractions.Ids;

namespace Pdsno.Abstractions.Discovery;

/// <summary>What a local controller asks of its driver in one cycle.</summary>
/// <param name="Controller">The controller running the cycle.</param>
/// <param name="Targets">Driver-specific scan targets (addresses, ranges); empty means the driver's default scope.</param>
public sealed record DiscoveryScope(ControllerId Controller, IReadOnlyList<string> Targets);

/// <summary>A southbound driver: finds devices and reads their state.</summary>
public interface IDeviceDriver
{
    /// <summary>The name configuration uses to pick this driver (e.g. <c>simulated</c>).</summary>
    string Name { get; }

    /// <summary>Discovers what is reachable in <paramref name="scope"/>; devices that do not answer are simply absent.</summary>
    IAsyncEnumerable<DeviceObservation> DiscoverAsync(DiscoveryScope scope, CancellationToken cancellationToken);
}

/// <summary>Finds the driver a controller is configured with.</summary>
public interface IDeviceDriverRegistry
{
    /// <summary>The names of all drivers this silo can run.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The driver named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming the known drivers otherwise.</summary>
    IDeviceDriver Resolve(string name);
}
