using Pdsno.Abstractions.Discovery;

namespace Pdsno.Discovery.Drivers;

/// <summary>The drivers registered in this silo, by name.</summary>
public sealed class DeviceDriverRegistry(IEnumerable<IDeviceDriver> drivers) : IDeviceDriverRegistry
{
    private readonly Dictionary<string, IDeviceDriver> _drivers = drivers.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _drivers.Keys;

    /// <inheritdoc />
    public IDeviceDriver Resolve(string name) =>
        _drivers.TryGetValue(name ?? "", out var driver)
            ? driver
            : throw new KeyNotFoundException($"Unknown driver '{name}'; this silo has: {string.Join(", ", _drivers.Keys.Order())}");
}
