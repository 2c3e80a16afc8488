using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Simulation;

namespace Pdsno.Discovery.Drivers;

/// <summary>
/// The config driver of the simulated network: each device's running config lives in its own
/// <see cref="ISimulatedDeviceGrain"/>, and discovery of the simulated network reports it (an interface disabled here
/// is down at the next cycle). The faults set on the device act here (hang, delay) or in the device (refusals, mismatch).
/// </summary>
public sealed class SimulatedConfigDriver(IGrainFactory grains) : IConfigDriver
{
    /// <inheritdoc />
    public string Name => SimulatedDriver.DriverName;

    /// <inheritdoc />
    public ConfigSections Sections => ConfigSections.All;

    /// <inheritdoc />
    public async Task<DeviceConfig> ReadAsync(ConfigTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var device = await Device(target).GetAsync().WaitAsync(cancellationToken);
        return device.Running ?? Defaults(target);
    }

    /// <inheritdoc />
    public async Task ApplyAsync(ConfigTarget target, DeviceConfig desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(desired);
        var device = Device(target);
        var faults = (await device.GetAsync().WaitAsync(cancellationToken)).Faults;
        if (faults.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        if (faults.DelayMs > 0)
        {
            await Task.Delay(faults.DelayMs, cancellationToken);
        }

        if (await device.ApplyAsync(desired, Defaults(target)).WaitAsync(cancellationToken) is { } refusal)
        {
            throw new ConfigDriverException(refusal);
        }
    }

    private ISimulatedDeviceGrain Device(ConfigTarget target) =>
        grains.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(target.Tenant, target.Region, target.Name));

    private static DeviceConfig Defaults(ConfigTarget target) =>
        SimulatedConfigDefaults.For(target.Name, target.Interfaces.IsDefault ? [] : target.Interfaces);
}
