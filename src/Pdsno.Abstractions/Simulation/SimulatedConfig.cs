using System.Collections.Immutable;
using Pdsno.Abstractions.Config;

namespace Pdsno.Abstractions.Simulation;

/// <summary>
/// Config faults of one simulated device (sandbox mode): what its next applies do wrong. Faults stay until changed.
/// </summary>
/// <param name="ApplyFails">Every apply is refused by the device.</param>
/// <param name="ReadBackMismatch">An apply takes effect, but the device ends up with a config that differs from the one sent.</param>
/// <param name="Hang">An apply never returns (until the caller gives up).</param>
/// <param name="RollbackFails">An apply that restores the config the device had before its last apply is refused.</param>
/// <param name="DelayMs">How long every apply takes, in milliseconds, before it takes effect.</param>
[GenerateSerializer, Immutable, Alias("pdsno.sim-config-faults")]
public sealed record SimulatedConfigFaults(
    [property: Id(0)] bool ApplyFails = false,
    [property: Id(1)] bool ReadBackMismatch = false,
    [property: Id(2)] bool Hang = false,
    [property: Id(3)] bool RollbackFails = false,
    [property: Id(4)] int DelayMs = 0)
{
    /// <summary>The longest apply delay accepted: ten minutes.</summary>
    public const int MaxDelayMs = 600_000;

    /// <summary>No fault.</summary>
    public static SimulatedConfigFaults None { get; } = new();

    /// <summary>The contact a device with <see cref="ReadBackMismatch"/> reports after an apply, whatever it was sent.</summary>
    public static string MismatchContact(string contact) => contact + " (not as sent)";
}

/// <summary>What a simulated device's config looks like: its running config (null: as generated) and its faults.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.sim-device-config")]
public sealed record SimulatedDeviceConfig(
    [property: Id(0)] DeviceConfig? Running,
    [property: Id(1)] SimulatedConfigFaults Faults);

/// <summary>The config a simulated device runs until someone changes it.</summary>
public static class SimulatedConfigDefaults
{
    /// <summary>Hostname = the device's name, every interface enabled with MTU 1500 and no description, no routes or servers.</summary>
    public static DeviceConfig For(string name, IEnumerable<string> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        return (DeviceConfig.Empty(name) with
        {
            Interfaces = [.. interfaces.Distinct(StringComparer.Ordinal).Select(i => new InterfaceConfig(i, true, "", DeviceConfig.DefaultMtu))],
        }).Canonical();
    }

    /// <summary>The grain key of a simulated device: <c>tenant/region/name</c>.</summary>
    public static string Key(string tenant, string region, string name) => $"{tenant}/{region}/{name}";

    /// <summary>The interfaces a running config disables (admin down).</summary>
    public static ImmutableHashSet<string> Disabled(DeviceConfig? running) =>
        running is null || running.Interfaces.IsDefault ? [] : [.. running.Interfaces.Where(i => !i.Enabled).Select(i => i.Name)];
}
