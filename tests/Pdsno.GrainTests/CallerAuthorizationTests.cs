using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;
using Pdsno.GrainTests.Infrastructure;

namespace Pdsno.GrainTests;

/// <summary>The caller check every call from outside the silo passes, whatever path it took.</summary>
[Collection(ClusterGroup.Name)]
public sealed class CallerAuthorizationTests(ClusterFixture cluster)
{
    private readonly string _tenant = Callers.NewTenant();

    [Fact]
    public async Task A_call_without_a_caller_is_refused()
    {
        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant).GetPolicyAsync());

        Assert.Contains("without a caller", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_of_another_tenant_is_refused_and_the_refusal_is_audited_in_its_own_tenant()
    {
        var stranger = Callers.Of(Callers.NewTenant(), Roles.Admin);

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => stranger.AsAsync(() =>
            cluster.Client.GetGrain<IRegionGrain>(new RegionId(_tenant, "north").ToString()).GetSnapshotAsync()));

        Assert.Contains("belongs to another tenant", error.Message, StringComparison.Ordinal);
        Assert.Contains(cluster.Audit.Of(stranger.Tenant), e => e.Type == TopologyEventType.PermissionDenied && e.Actor == stranger.Actor);
        Assert.Empty(cluster.Audit.Of(_tenant));
    }

    [Fact]
    public async Task A_region_scoped_caller_is_refused_outside_its_regions()
    {
        var viewer = Callers.Of(_tenant, Roles.Viewer, "north");

        var inside = await viewer.AsAsync(() => cluster.Client.GetGrain<IRegionGrain>(new RegionId(_tenant, "north").ToString()).GetSnapshotAsync());
        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => viewer.AsAsync(() =>
            cluster.Client.GetGrain<IRegionGrain>(new RegionId(_tenant, "south").ToString()).GetSnapshotAsync()));

        Assert.False(inside.Exists);
        Assert.Contains("outside the token's regions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_below_the_one_a_method_needs_is_refused()
    {
        var viewer = Callers.Of(_tenant, Roles.Viewer);

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => viewer.AsAsync(() =>
            cluster.Client.GetGrain<ITenantGrain>(_tenant).CreateTokenAsync(new TokenSpec("mine", Roles.Admin, [], null))));

        Assert.Contains("needs the admin role", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Audit.Of(_tenant), e => e.Type == TopologyEventType.TokenCreated);
    }

    [Fact]
    public async Task A_method_internal_to_the_cluster_is_refused_to_any_outside_caller()
    {
        var admin = Callers.Of(_tenant, Roles.Admin);

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => admin.AsAsync(() =>
            cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant).RegisterRegionAsync("rogue")));

        Assert.Contains("internal to PDSNO", error.Message, StringComparison.Ordinal);
        Assert.Empty(await admin.AsAsync(() => cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant).GetRegionsAsync()));
    }
}
