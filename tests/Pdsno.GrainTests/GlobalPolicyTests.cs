using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Security;
using Pdsno.GrainTests.Infrastructure;

namespace Pdsno.GrainTests;

/// <summary>The tenant's versioned global policy and its way down to the regions and their controllers.</summary>
[Collection(ClusterGroup.Name)]
public sealed class GlobalPolicyTests(ClusterFixture cluster)
{
    private readonly string _tenant = Callers.NewTenant();

    [Fact]
    public async Task A_new_policy_version_reaches_every_started_region_and_its_controllers()
    {
        var admin = Callers.Of(_tenant, Roles.Admin);
        var policy = cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant);
        var first = await admin.AsAsync(() => policy.SetPolicyAsync(TimeSpan.FromMinutes(5), 3));
        foreach (var region in new[] { "north", "south" })
        {
            await admin.AsAsync(() => cluster.Client.GetGrain<IRegionGrain>(new RegionId(_tenant, region).ToString())
                .EnsureStartedAsync(new RegionSetup(["lc-1"], QuietDriverRegistry.Quiet, [])));
        }

        var second = await admin.AsAsync(() => policy.SetPolicyAsync(TimeSpan.FromMinutes(2), 5));

        Assert.Equal(first.Version + 1, second.Version);
        Assert.Equal(second, await admin.AsAsync(() => policy.GetPolicyAsync()));
        Assert.Equal(["north", "south"], (await admin.AsAsync(() => policy.GetRegionsAsync())).Order(StringComparer.Ordinal));
        foreach (var region in new[] { "north", "south" })
        {
            var id = new RegionId(_tenant, region);
            var snapshot = await admin.AsAsync(() => cluster.Client.GetGrain<IRegionGrain>(id.ToString()).GetSnapshotAsync());
            Assert.Equal(second.Version, snapshot.PolicyVersion);
            var controller = await admin.AsAsync(() => cluster.Client.GetGrain<ILocalControllerGrain>(new ControllerId(id, "lc-1").ToString()).GetStatusAsync());
            Assert.Equal(TimeSpan.FromMinutes(2), controller.Interval);
            Assert.Equal(second.Version, cluster.Projection.Region(_tenant, region)?.PolicyVersion);
        }
    }

    [Fact]
    public async Task An_invalid_policy_is_refused_naming_the_problem_and_the_version_stays()
    {
        var admin = Callers.Of(_tenant, Roles.Admin);
        var policy = cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant);
        var current = await admin.AsAsync(() => policy.SetPolicyAsync(TimeSpan.FromSeconds(30), 3));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => admin.AsAsync(() => policy.SetPolicyAsync(TimeSpan.FromMilliseconds(10), 3)));

        Assert.Contains("discoveryInterval", error.Message, StringComparison.Ordinal);
        Assert.Equal(current, await admin.AsAsync(() => policy.GetPolicyAsync()));
    }

    [Fact]
    public async Task A_region_scoped_admin_cannot_change_the_tenant_wide_policy()
    {
        var policy = cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant);
        var regional = Callers.Of(_tenant, Roles.Admin, "north");

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => regional.AsAsync(() => policy.SetPolicyAsync(TimeSpan.FromMinutes(1), 3)));

        Assert.Contains("acts on the whole tenant", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await regional.AsAsync(() => policy.GetPolicyAsync())).Version);
    }
}
