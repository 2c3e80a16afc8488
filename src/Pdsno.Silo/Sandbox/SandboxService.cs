using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Silo.Sandbox;

/// <summary>Hurts the simulated network on purpose, checking names against the model first.</summary>
public sealed class SandboxService(IGrainFactory grains, SimulatedDriver driver)
{
    /// <summary>Takes a device down (it stops answering discovery) or brings it back.</summary>
    public async Task<SimulatedFaults> SetDeviceDownAsync(string tenant, string device, bool down)
    {
        var (model, _) = await driver.ModelAsync(tenant);
        var found = Resolve(model, tenant, device);
        return await grains.GetGrain<ISimulatedNetworkGrain>(tenant).SetDeviceDownAsync(found.Key, down);
    }

    /// <summary>Takes the link on a device interface down or brings it back.</summary>
    public async Task<SimulatedFaults> SetLinkDownAsync(string tenant, string device, string interfaceName, bool down)
    {
        var (model, _) = await driver.ModelAsync(tenant);
        var found = Resolve(model, tenant, device);
        var end = model.EndOf(found, interfaceName)
            ?? throw new KeyNotFoundException($"Interface '{interfaceName}' of device '{device}' is not cabled to anything");
        return await grains.GetGrain<ISimulatedNetworkGrain>(tenant).SetLinkDownAsync(end.Key, down);
    }

    /// <summary>Makes a device's counters jump.</summary>
    public async Task<SimulatedFaults> JumpCountersAsync(string tenant, string device, ulong octets)
    {
        var (model, _) = await driver.ModelAsync(tenant);
        var found = Resolve(model, tenant, device);
        return await grains.GetGrain<ISimulatedNetworkGrain>(tenant).JumpCountersAsync(found.Key, octets);
    }

    /// <summary>A device by its key (<c>region/name</c>) or by a name that only one region has.</summary>
    private static SimDevice Resolve(SimulatedNetworkModel model, string tenant, string device)
    {
        if (model.FindDevice(device) is { } byKey)
        {
            return byKey;
        }

        var named = model.DevicesNamed(device).Take(2).ToList();
        return named.Count switch
        {
            1 => named[0],
            0 => throw new KeyNotFoundException($"The simulated network of tenant '{tenant}' has no device '{device}'"),
            _ => throw new KeyNotFoundException($"The simulated network of tenant '{tenant}' has a device '{device}' in more than one region; name it as region/{device}"),
        };
    }
}
