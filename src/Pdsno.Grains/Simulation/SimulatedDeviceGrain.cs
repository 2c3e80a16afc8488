using Pdsno.Abstractions;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Simulation;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Simulation;

/// <summary>
/// The running config of one simulated device, one small grain per device so that applies to many devices at once
/// write many small states side by side instead of one large tenant state in turn. Discovery learns which devices run
/// something other than the generated config from the region's <see cref="ISimulatedRegionConfigGrain"/>, which this
/// grain tells before it first stores a config.
/// </summary>
[GrainType("simulated-device")]
public sealed class SimulatedDeviceGrain(
    [PersistentState("simulated-device", PdsnoStreams.Storage)] IPersistentState<SimulatedDeviceState> state) : Grain, ISimulatedDeviceGrain
{
    /// <inheritdoc />
    public Task<SimulatedDeviceConfig> GetAsync() => Task.FromResult(View());

    /// <inheritdoc />
    public async Task<string?> ApplyAsync(DeviceConfig desired, DeviceConfig defaults)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(defaults);
        var s = state.State;
        var faults = s.Faults;
        var running = s.Running ?? defaults;
        if (faults.ApplyFails)
        {
            return "the device refused the configuration (simulated apply failure)";
        }

        if (faults.RollbackFails && s.BeforeLastApply is { } before && before.SameAs(desired) && !running.SameAs(desired))
        {
            return "the device refused to restore its previous configuration (simulated rollback failure)";
        }

        var next = faults.ReadBackMismatch
            ? desired with { Contact = SimulatedConfigFaults.MismatchContact(desired.Contact) }
            : desired;
        if (running.SameAs(next))
        {
            return null;
        }

        await StoreAsync(next.Canonical(), running);
        return null;
    }

    /// <inheritdoc />
    public async Task<SimulatedDeviceConfig> SetFaultsAsync(SimulatedConfigFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (faults.DelayMs is < 0 or > SimulatedConfigFaults.MaxDelayMs)
        {
            throw new ArgumentException($"delayMs {faults.DelayMs} must be between 0 and {SimulatedConfigFaults.MaxDelayMs}");
        }

        if (state.State.Faults != faults)
        {
            state.State.Faults = faults;
            await state.WriteStateAsync();
        }

        return View();
    }

    /// <inheritdoc />
    public async Task<SimulatedDeviceConfig> SetRunningAsync(DeviceConfig running)
    {
        ArgumentNullException.ThrowIfNull(running);
        if (!running.SameAs(state.State.Running))
        {
            // Not an apply: a rollback still restores what the last apply replaced.
            await StoreAsync(running.Canonical(), state.State.BeforeLastApply);
        }

        return View();
    }

    private async Task StoreAsync(DeviceConfig running, DeviceConfig? beforeLastApply)
    {
        var s = state.State;
        if (s.Running is null)
        {
            // Registered first: a device the region lists but that still runs the default costs discovery a call, while a
            // device with a stored config the region does not list would show discovery the default.
            // Tenant and region keys hold no '/'; an imported device's name may.
            var key = this.GetPrimaryKeyString();
            var slash = key.IndexOf('/', key.IndexOf('/', StringComparison.Ordinal) + 1);
            await GrainFactory.GetGrain<ISimulatedRegionConfigGrain>(key[..slash]).RegisterAsync(key[(slash + 1)..]);
        }

        var previous = (s.Running, s.BeforeLastApply);
        s.Running = running;
        s.BeforeLastApply = beforeLastApply;
        try
        {
            // The device grain that drove the apply records what it reads back synchronously after this.
            using (DeferredDurability.Begin())
            {
                await state.WriteStateAsync();
            }
        }
        catch
        {
            (s.Running, s.BeforeLastApply) = previous;
            throw;
        }
    }

    private SimulatedDeviceConfig View() => new(state.State.Running, state.State.Faults);
}
