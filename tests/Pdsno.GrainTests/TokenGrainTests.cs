using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.GrainTests.Infrastructure;

namespace Pdsno.GrainTests;

/// <summary>API tokens at the grain boundary: creation, verification and revocation, and what the audit trail records.</summary>
[Collection(ClusterGroup.Name)]
public sealed class TokenGrainTests(ClusterFixture cluster)
{
    private readonly string _tenant = Callers.NewTenant();

    [Fact]
    public async Task A_created_token_verifies_as_its_roles_until_it_is_revoked()
    {
        var admin = Callers.Of(_tenant, Roles.Admin);
        var created = await admin.AsAsync(() => cluster.Client.GetGrain<ITenantGrain>(_tenant).CreateTokenAsync(new TokenSpec("ci", Roles.Operator, ["north"], null)));
        Assert.True(ApiTokenFormat.TryParse(created.Secret, out var id, out var secret));
        var token = cluster.Client.GetGrain<IApiTokenGrain>(id);

        var verified = await token.VerifyAsync(secret);
        Assert.Null(verified.Failure);
        Assert.Equal(_tenant, verified.Caller!.Tenant);
        Assert.Equal(Roles.Operator, verified.Caller.Roles);
        Assert.Equal("north", Assert.Single(verified.Caller.Regions));

        var wrong = await token.VerifyAsync(secret + "x");
        Assert.Null(wrong.Caller);
        Assert.Contains("wrong secret", wrong.Failure, StringComparison.Ordinal);

        var revoked = await admin.AsAsync(() => token.RevokeAsync());
        Assert.NotNull(revoked?.RevokedAt);
        var after = await token.VerifyAsync(secret);
        Assert.Null(after.Caller);
        Assert.Contains("revoked", after.Failure, StringComparison.Ordinal);

        var trail = cluster.Audit.Of(_tenant);
        Assert.Contains(trail, e => e.Type == TopologyEventType.TokenCreated && e.Detail.Contains(id, StringComparison.Ordinal) && e.Actor == admin.Actor);
        Assert.Contains(trail, e => e.Type == TopologyEventType.TokenRevoked && e.Detail.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(trail, e => e.Detail.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_of_another_tenant_cannot_revoke_a_token()
    {
        var created = await Callers.Of(_tenant, Roles.Admin).AsAsync(() => cluster.Client.GetGrain<ITenantGrain>(_tenant).CreateTokenAsync(new TokenSpec("ops", Roles.Viewer, [], null)));
        Assert.True(ApiTokenFormat.TryParse(created.Secret, out var id, out var secret));
        var token = cluster.Client.GetGrain<IApiTokenGrain>(id);

        var stranger = Callers.Of(Callers.NewTenant(), Roles.Admin);
        Assert.Null(await stranger.AsAsync(() => token.RevokeAsync()));

        Assert.NotNull((await token.VerifyAsync(secret)).Caller);
    }

    [Fact]
    public async Task A_token_request_with_problems_is_refused_naming_them()
    {
        var admin = Callers.Of(_tenant, Roles.Admin);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => admin.AsAsync(() =>
            cluster.Client.GetGrain<ITenantGrain>(_tenant).CreateTokenAsync(new TokenSpec(" ", Roles.None, [], DateTimeOffset.UtcNow.AddDays(-1)))));

        Assert.Contains("name must not be empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("roles must name", error.Message, StringComparison.Ordinal);
        Assert.Contains("expiresAt", error.Message, StringComparison.Ordinal);
        Assert.Empty(await admin.AsAsync(() => cluster.Client.GetGrain<ITenantGrain>(_tenant).ListTokensAsync()));
    }
}
