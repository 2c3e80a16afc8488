using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Drivers;

namespace Pdsno.Silo.Sandbox;

/// <summary>Hurts the simulated network on purpose, checking names against the model first.</summary>
public sealed class SandboxService(IGrainFactory grains, SimulatedDriver driver)
{
    /// <summary>Takes a device down (it stops answering discovery) or brings it back.</summary>
    public async Task<SimulatedFaults> SetDeviceDownAsync(string tenant, string device, bool down)
    {
        var (model, _) = await driver.ModelAsync(tenant);
        if (model.Topology.FindDevice(device) is null)
        {
            throw new KeyNotFoundException($"The simulated network of tenant '{tenant}' has no device '{device}'");
        }

        return await grains.GetGrain<ISimulatedNetworkGrain>(tenant).SetDeviceDownAsync(device, down);
    }

    /// <summary>Takes the link on a device interface down or brings it back.</summary>
    public async Task<SimulatedFaults> SetLinkDownAsync(string tenant, string device, string interfaceName, bool down)
    {
        var (model, _) = await driver.ModelAsync(tenant);
        if (model.Topology.FindDevice(device) is null)
        {
            throw new KeyNotFoundException($"The simulated network of tenant '{tenant}' has no device '{device}'");
        }

        var end = model.EndOf(device, interfaceName)
            ?? throw new KeyNotFoundException($"Interface '{interfaceName}' of device '{device}' is not cabled to anything");
        return await grains.GetGrain<ISimulatedNetworkGrain>(tenant).SetLinkDownAsync(end.Key, down);
    }

    /// <summary>Makes a device's counters jump.</summary>
    public async Task<SimulatedFaults> JumpCountersAsync(string tenant, string device, ulong octets)
    {
        var (model, _) = await driver.ModelAsync(tenant);
        if (model.Topology.FindDevice(device) is null)
        {
            throw new KeyNotFoundException($"The simulated network of tenant '{tenant}' has no device '{device}'");
        }

        return await grains.GetGrain<ISimulatedNetworkGrain>(tenant).JumpCountersAsync(device, octets);
    }
}
