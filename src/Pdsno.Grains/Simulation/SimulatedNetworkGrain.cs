using Microsoft.Extensions.Options;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;

namespace Pdsno.Grains.Simulation;

/// <summary>
/// Keeps a tenant's simulated network durable and shared: every silo's driver builds the same model from
/// this definition and applies the same faults, whichever silo a local controller runs on.
/// </summary>
[GrainType("simulated-network")]
public sealed class SimulatedNetworkGrain(
    [PersistentState("simulation", PdsnoStreams.Storage)] IPersistentState<SimulatedNetworkState> state,
    IOptions<SimulationLimits> limits) : Grain, ISimulatedNetworkGrain
{
    /// <inheritdoc />
    public async Task<SimulatedNetworkDefinition> PutPartAsync(SimulatedNetworkPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var current = state.State.Definition;

        // Checked here as well as in the API: the grain is the one place that sees every put, in order, so neither a
        // path around the API nor two imports at once can replace another region's part or pass the limits.
        if (SimulatedNetworkRules.CheckPut(current, part, CallerContext.Current ?? Caller.System, limits.Value) is { } refusal)
        {
            throw refusal.Kind == PartRefusalKind.Forbidden
                ? new UnauthorizedAccessException(refusal.Message)
                : new InvalidOperationException(refusal.Message);
        }

        var index = current.Parts.Select(p => p.Name).ToList().IndexOf(part.Name);
        if (index >= 0 && current.Parts[index] == part)
        {
            return current;
        }

        var parts = index >= 0 ? current.Parts.SetItem(index, part) : current.Parts.Add(part);
        state.State.Definition = new SimulatedNetworkDefinition(current.Version + 1, parts);
        await state.WriteStateAsync();
        return state.State.Definition;
    }

    /// <inheritdoc />
    public Task<SimulatedNetworkView> GetViewAsync(long knownDefinitionVersion)
    {
        var d = state.State.Definition;
        return Task.FromResult(new SimulatedNetworkView(d.Version == knownDefinitionVersion ? null : d, d.Version, state.State.Faults));
    }

    /// <inheritdoc />
    public Task<SimulatedFaults> SetDeviceDownAsync(string device, bool down)
    {
        CheckDeviceKey(device);
        var f = state.State.Faults;
        return SaveAsync(f with { DownDevices = down ? f.DownDevices.Add(device) : f.DownDevices.Remove(device) });
    }

    /// <inheritdoc />
    public Task<SimulatedFaults> SetLinkDownAsync(string linkKey, bool down)
    {
        var f = state.State.Faults;
        return SaveAsync(f with { DownLinks = down ? f.DownLinks.Add(linkKey) : f.DownLinks.Remove(linkKey) });
    }

    /// <inheritdoc />
    public Task<SimulatedFaults> JumpCountersAsync(string device, ulong octets)
    {
        CheckDeviceKey(device);
        var f = state.State.Faults;
        return SaveAsync(f with { CounterOffsets = f.CounterOffsets.SetItem(device, unchecked(f.CounterOffsets.GetValueOrDefault(device) + octets)) });
    }

    // Names repeat across regions, so a fault names its device as region/name; a bare name would be stored and
    // match nothing, and the caller would never learn why the device stayed up.
    private static void CheckDeviceKey(string device)
    {
        if (!SimulatedFaults.IsDeviceKey(device))
        {
            throw new ArgumentException($"device '{device}' must be named as region/name");
        }
    }

    private async Task<SimulatedFaults> SaveAsync(SimulatedFaults next)
    {
        var current = state.State.Faults;
        if (next.DownDevices.SetEquals(current.DownDevices) && next.DownLinks.SetEquals(current.DownLinks) && next.CounterOffsets.Count == current.CounterOffsets.Count && next.CounterOffsets.All(kv => current.CounterOffsets.TryGetValue(kv.Key, out var v) && v == kv.Value))
        {
            return current;
        }

        state.State.Faults = next with { Version = current.Version + 1 };
        await state.WriteStateAsync();
        return state.State.Faults;
    }
}
