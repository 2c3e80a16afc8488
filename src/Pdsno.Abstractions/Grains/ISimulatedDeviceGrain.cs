using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;

namespace Pdsno.Abstractions.Grains;

/// <summary>
/// One device of a tenant's simulated network as a config driver sees it: its running config (durable) and its config
/// faults. Key: <c>tenant/region/name</c> (see <see cref="SimulatedConfigDefaults.Key"/>).
/// </summary>
[Alias("pdsno.ISimulatedDeviceGrain")]
public interface ISimulatedDeviceGrain : IGrainWithStringKey
{
    /// <summary>The running config (null while it is the generated default) and the faults.</summary>
    [Alias("Get"), Requires(Roles.Viewer)]
    Task<SimulatedDeviceConfig> GetAsync();

    /// <summary>
    /// Makes the running config <paramref name="desired"/> as a driver's apply does, honouring the faults that act inside
    /// the device (apply refused, rollback refused, read-back mismatch); returns why it was refused, or null.
    /// <paramref name="defaults"/> is the generated config, the running one while none was applied.
    /// </summary>
    [Alias("Apply")]
    Task<string?> ApplyAsync(DeviceConfig desired, DeviceConfig defaults);

    /// <summary>Replaces the config faults.</summary>
    [Alias("SetFaults"), Requires(Roles.Operator)]
    Task<SimulatedDeviceConfig> SetFaultsAsync(SimulatedConfigFaults faults);

    /// <summary>Changes the running config behind PDSNO's back, as a person at the console would (no fault applies).</summary>
    [Alias("SetRunning"), Requires(Roles.Operator)]
    Task<SimulatedDeviceConfig> SetRunningAsync(DeviceConfig running);
}
