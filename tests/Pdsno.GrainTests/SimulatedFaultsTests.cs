using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.GrainTests.Infrastructure;

namespace Pdsno.GrainTests;

/// <summary>Faults of the simulated network name devices as region/name, since names repeat across regions.</summary>
[Collection(ClusterGroup.Name)]
public sealed class SimulatedFaultsTests(ClusterFixture cluster)
{
    private readonly string _tenant = Callers.NewTenant();

    [Fact]
    public async Task A_device_fault_by_region_and_name_is_kept_and_a_bare_name_is_refused()
    {
        var operatorCaller = Callers.Of(_tenant, Roles.Operator);
        var network = cluster.Client.GetGrain<ISimulatedNetworkGrain>(_tenant);

        var faults = await operatorCaller.AsAsync(() => network.SetDeviceDownAsync("east/new-york", true));
        var bare = await Assert.ThrowsAsync<ArgumentException>(() => operatorCaller.AsAsync(() => network.SetDeviceDownAsync("new-york", true)));
        var jump = await Assert.ThrowsAsync<ArgumentException>(() => operatorCaller.AsAsync(() => network.JumpCountersAsync("east/", 10)));

        Assert.Contains("east/new-york", faults.DownDevices);
        Assert.Contains("region/name", bare.Message, StringComparison.Ordinal);
        Assert.Contains("region/name", jump.Message, StringComparison.Ordinal);
    }
}
