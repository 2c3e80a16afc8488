using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;

namespace Pdsno.Grains.Config;

/// <summary>The <c>ConfigDrivers</c> settings.</summary>
public sealed class ConfigDriverOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ConfigDrivers";

    /// <summary>
    /// The config driver of this silo's devices; when not set, <c>simulated</c> with the simulated discovery driver and
    /// <c>ssh</c> with the snmp one (<c>Discovery:Driver</c>).
    /// </summary>
    public string? Driver { get; set; }
}

/// <summary>The config drivers registered in this silo; every device is configured by the one <c>ConfigDrivers:Driver</c> names.</summary>
public sealed class ConfigDriverRegistry(IEnumerable<IConfigDriver> drivers, IOptions<ConfigDriverOptions> options) : IConfigDriverRegistry
{
    private readonly Dictionary<string, IConfigDriver> _drivers = drivers.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The name of the driver devices are configured with.</summary>
    public string DriverName => options.Value.Driver ?? "simulated";

    /// <inheritdoc />
    public IConfigDriver Resolve(ConfigTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _drivers.TryGetValue(DriverName, out var driver)
            ? driver
            : throw new ConfigDriverException(
                $"config driver '{DriverName}' (ConfigDrivers:Driver) is not available on this silo; it has: {(_drivers.Count == 0 ? "none" : string.Join(", ", _drivers.Keys.Order(StringComparer.Ordinal)))}");
    }
}
