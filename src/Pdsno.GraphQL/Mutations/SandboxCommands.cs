using Orleans;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.GraphQL.Loading;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Mutations;

/// <summary>
/// The sandbox controls that hurt the simulated network on purpose, one implementation for the GraphQL mutations and
/// the <c>/sandbox</c> HTTP routes: devices and links are named as the read model knows them, within the caller's
/// regions, and the faults go to the tenant's simulated network.
/// </summary>
public sealed class SandboxCommands(IGrainFactory grains, TopologyReader reader)
{
    /// <summary>Takes a simulated device down (it stops answering discovery) or brings it back.</summary>
    /// <param name="caller">Who asks; the device must be in one of its regions.</param>
    /// <param name="device">The device's global id, key, name where unique among the caller's devices, or <c>region/name</c>.</param>
    /// <param name="down">True takes it down, false brings it back.</param>
    /// <param name="ct">Cancels the look-up.</param>
    public async Task<CommandResult<DeviceRecord>> SetDeviceDownAsync(Caller caller, string device, bool down, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var found = await ResolveDeviceAsync(caller, device, "id", ct);
        if (found.Value is not { } record)
        {
            return found;
        }

        await Network(caller).SetDeviceDownAsync(SimulatedFaults.DeviceKey(record.Region, record.Name), down);
        return found;
    }

    /// <summary>Makes a simulated device's interface counters jump by <paramref name="octets"/> (a counter wrap or reset to detect).</summary>
    public async Task<CommandResult<DeviceRecord>> JumpCountersAsync(Caller caller, string device, long octets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (octets < 0)
        {
            return CommandResult.Fail<DeviceRecord>(UserErrorCode.BadUserInput, $"octets: {octets} is negative; counters only jump forward", "input", "octets");
        }

        var found = await ResolveDeviceAsync(caller, device, "id", ct);
        if (found.Value is not { } record)
        {
            return found;
        }

        await Network(caller).JumpCountersAsync(SimulatedFaults.DeviceKey(record.Region, record.Name), (ulong)octets);
        return found;
    }

    /// <summary>Takes a simulated link down (both interfaces go down) or brings it back; <paramref name="link"/> is its key.</summary>
    public async Task<CommandResult<LinkRecord>> SetLinkDownAsync(Caller caller, string link, bool down, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var record = await reader.GetLinkAsync(caller.Tenant, link, ct);
        return record is null
            ? CommandResult.Fail<LinkRecord>(UserErrorCode.NotFound, $"link '{link}' not found", "input", "id")
            : await SetLinkDownAsync(caller, record, down, ct);
    }

    /// <summary>Takes the link cabled to an interface of a device down or brings it back.</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="device">The device, named as in <see cref="SetDeviceDownAsync"/>.</param>
    /// <param name="interfaceName">The interface's name on that device (<c>et-0/2/0</c>).</param>
    /// <param name="down">True takes it down, false brings it back.</param>
    /// <param name="ct">Cancels the look-ups.</param>
    public async Task<CommandResult<LinkRecord>> SetLinkDownAtAsync(Caller caller, string device, string interfaceName, bool down, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var found = await ResolveDeviceAsync(caller, device, "device", ct);
        if (found.Value is not { } record)
        {
            return new CommandResult<LinkRecord>(null, found.Errors);
        }

        var neighbors = await reader.GetNeighborsAsync(caller.Tenant, [record.Key], null, ct);
        var at = neighbors.GetValueOrDefault(record.Key)?.FirstOrDefault(n => string.Equals(n.LocalInterface, interfaceName, StringComparison.Ordinal));
        return at is null
            ? CommandResult.Fail<LinkRecord>(UserErrorCode.NotFound, $"interface: no link at interface '{interfaceName}' of device '{record.Name}'", "input", "interface")
            : await SetLinkDownAsync(caller, at.Link, down, ct);
    }

    private async Task<CommandResult<LinkRecord>> SetLinkDownAsync(Caller caller, LinkRecord record, bool down, CancellationToken ct)
    {
        // A link across a region border belongs to each side: a caller of either region may cut it.
        var ends = await reader.GetDevicesAsync(caller.Tenant, [record.DeviceA, record.DeviceB], ct);
        if (!ends.TryGetValue(record.DeviceA, out var a) || !ends.TryGetValue(record.DeviceB, out var b)
            || !(caller.CanSeeRegion(record.Region) || caller.CanSeeRegion(a.Region) || caller.CanSeeRegion(b.Region)))
        {
            return CommandResult.Fail<LinkRecord>(UserErrorCode.NotFound, $"link '{record.Key}' not found", "input", "id");
        }

        var key = SimulatedFaults.LinkKey(SimulatedFaults.DeviceKey(a.Region, a.Name), record.InterfaceA, SimulatedFaults.DeviceKey(b.Region, b.Name), record.InterfaceB);
        await Network(caller).SetLinkDownAsync(key, down);
        return CommandResult.Ok(record);
    }

    /// <summary>
    /// The device <paramref name="text"/> names among the caller's devices, by the rules every input that takes a
    /// device follows (<see cref="DeviceLookup"/>); a name several regions have may be given as <c>region/name</c>.
    /// </summary>
    private async Task<CommandResult<DeviceRecord>> ResolveDeviceAsync(Caller caller, string text, string argument, CancellationToken ct)
    {
        if (!DeviceRef.TryParse(text, out var reference))
        {
            return CommandResult.Fail<DeviceRecord>(UserErrorCode.BadUserInput, $"{argument}: '{text}' is the id of something other than a device", "input", argument);
        }

        var match = await DeviceLookup.ResolveAsync(reader, caller, reference, ct);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (match.Device is null && !match.IsAmbiguous && reference.Name is not null && slash > 0 && slash < text.Length - 1)
        {
            // Device keys never hold '/', so text with one that named nothing may be region/name.
            var inRegion = await DeviceLookup.ResolveAsync(reader, caller, DeviceRef.ByName(text[(slash + 1)..], text[..slash]), ct);
            if (inRegion.Device is not null)
            {
                match = inRegion;
            }
        }

        return match.Device is { } record
            ? CommandResult.Ok(record)
            : CommandResult.Fail<DeviceRecord>(
                match.IsAmbiguous ? UserErrorCode.BadUserInput : UserErrorCode.NotFound,
                match.Problem(argument, "give the device's id, or region/name")!,
                "input",
                argument);
    }

    /// <summary>Sets the config faults of a simulated device (region-checked like the other sandbox controls).</summary>
    public async Task<CommandResult<DeviceRecord>> SetConfigFaultAsync(Caller caller, string device, SimulatedConfigFaults faults, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(faults);
        if (faults.DelayMs is < 0 or > SimulatedConfigFaults.MaxDelayMs)
        {
            return CommandResult.Fail<DeviceRecord>(UserErrorCode.BadUserInput, $"delayMs: {faults.DelayMs} must be between 0 and {SimulatedConfigFaults.MaxDelayMs}", "input", "delayMs");
        }

        var found = await ResolveDeviceAsync(caller, device, "deviceId", ct);
        if (found.Value is { } record)
        {
            await SimulatedDevice(caller, record).SetFaultsAsync(faults);
        }

        return found;
    }

    /// <summary>
    /// Changes a simulated device's running config behind PDSNO's back, as a person at its console would: the next
    /// discovery sees it (drift; a disabled interface takes its link down). Only the settings given change.
    /// </summary>
    public async Task<CommandResult<DeviceRecord>> SetRunningConfigAsync(Caller caller, string device, ConfigPatch patch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(patch);
        if (RunningConfigRules.Problem(patch) is { } problem)
        {
            return CommandResult.Fail<DeviceRecord>(UserErrorCode.BadUserInput, problem.Message, "input", problem.Field);
        }

        var found = await ResolveDeviceAsync(caller, device, "deviceId", ct);
        if (found.Value is not { } record)
        {
            return found;
        }

        var sim = SimulatedDevice(caller, record);
        var running = (await sim.GetAsync()).Running;
        if (running is null)
        {
            var interfaces = await reader.GetInterfacesAsync(caller.Tenant, [record.Key], null, ct);
            running = SimulatedConfigDefaults.For(record.Name, interfaces.GetValueOrDefault(record.Key, []).Select(i => i.Name));
        }

        try
        {
            await sim.SetRunningAsync(patch.ApplyTo(running));
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<DeviceRecord>(UserErrorCode.BadUserInput, "interfaces: " + ex.Message, "input", "interfaces");
        }

        return found;
    }

    private ISimulatedDeviceGrain SimulatedDevice(Caller caller, DeviceRecord record) =>
        grains.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(caller.Tenant, record.Region, record.Name));

    private ISimulatedNetworkGrain Network(Caller caller) => grains.GetGrain<ISimulatedNetworkGrain>(caller.Tenant);
}
