using System.Collections.Immutable;

namespace Pdsno.Abstractions.Config;

/// <summary>The device a config driver works on.</summary>
/// <param name="Tenant">Owner of the device.</param>
/// <param name="Device">The device key (within the tenant).</param>
/// <param name="Region">The device's region.</param>
/// <param name="Name">The device's name (simulated devices are found by region and name).</param>
/// <param name="ManagementAddress">Where a real device is reached.</param>
/// <param name="Interfaces">The interface names discovery knows on the device.</param>
[GenerateSerializer, Immutable, Alias("pdsno.config-target")]
public sealed record ConfigTarget(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string Device,
    [property: Id(2)] string Region,
    [property: Id(3)] string Name,
    [property: Id(4)] string ManagementAddress,
    [property: Id(5)] ImmutableArray<string> Interfaces);

/// <summary>
/// A southbound config driver: reads a device's running config into the one model and applies a whole config
/// (the desired state, not a sequence of commands), so applying the same config twice is harmless and a rollback
/// is an apply of the previous config.
/// </summary>
public interface IConfigDriver
{
    /// <summary>The name configuration uses to pick this driver (e.g. <c>simulated</c>, <c>ssh</c>).</summary>
    string Name { get; }

    /// <summary>What <see cref="ReadAsync"/> reads; drift and read-back compare only these sections.</summary>
    ConfigSections Sections { get; }

    /// <summary>Reads the running config. Throws <see cref="ConfigDriverException"/> when the device cannot be read.</summary>
    Task<DeviceConfig> ReadAsync(ConfigTarget target, CancellationToken cancellationToken);

    /// <summary>Makes the running config equal to <paramref name="desired"/>. Throws <see cref="ConfigDriverException"/> on failure.</summary>
    Task ApplyAsync(ConfigTarget target, DeviceConfig desired, CancellationToken cancellationToken);
}

/// <summary>Finds the config driver for a device.</summary>
public interface IConfigDriverRegistry
{
    /// <summary>The driver that configures <paramref name="target"/> on this silo.</summary>
    IConfigDriver Resolve(ConfigTarget target);
}

/// <summary>A config driver could not read or apply; the message says why, without credentials.</summary>
public sealed class ConfigDriverException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigDriverException()
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    public ConfigDriverException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and its cause.</summary>
    public ConfigDriverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
