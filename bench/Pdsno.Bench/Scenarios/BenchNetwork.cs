using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Simulation;
using Pdsno.Bench.Hosting;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Bench.Scenarios;

/// <summary>A generated network discovered by the product's own regions and controllers, settled in the read model.</summary>
internal static class BenchNetwork
{
    /// <summary>Generates the network of <paramref name="tenant"/>, starts its regions and waits until every device is in the read model and the links between regions are confirmed.</summary>
    public static async Task<SimulatedNetworkModel> DiscoverAsync(BenchSilo silo, string tenant, int seed, int devices, int regions)
    {
        var grains = silo.Grains;
        var db = new Database(silo.ConnectionString);
        var definition = await grains.GetGrain<ISimulatedNetworkGrain>(tenant).PutPartAsync(SimulatedNetworkPart.Generated("default", seed, devices, regions));
        var model = SimulatedNetworkModel.Build(definition);
        await grains.GetGrain<IGlobalPolicyGrain>(tenant).SetPolicyAsync(TimeSpan.FromHours(1), 3);
        var regionGrains = model.Regions.Select(r => grains.GetGrain<IRegionGrain>(new RegionId(tenant, r).ToString())).ToList();
        await Task.WhenAll(regionGrains.Select(r => r.EnsureStartedAsync(new RegionSetup(["lc-1"], "simulated", []))));
        await Wait.UntilAsync(async () => (await db.CountsAsync(tenant)).Devices >= devices, TimeSpan.FromMinutes(2), 200);
        await Task.WhenAll(regionGrains.Select(r => r.TriggerDiscoveryAsync()));
        await Task.Delay(TimeSpan.FromSeconds(3));
        return model;
    }
}
