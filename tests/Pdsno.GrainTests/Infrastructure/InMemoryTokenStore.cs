using Pdsno.Abstractions.Security;
using Pdsno.Grains.Security;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>Tenants and API tokens in memory, with the PostgreSQL store's rules (one bootstrap token per tenant, revocation once).</summary>
public sealed class InMemoryTokenStore : IApiTokenStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (StoredToken Token, bool Bootstrap)> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tenants = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<StoredToken?> LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_tokens.TryGetValue(id, out var t) ? t.Token : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ApiTokenInfo>>([.. _tokens.Values.Select(t => t.Token.Info).Where(i => i.Tenant == tenant).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<bool> InsertAsync(ApiTokenInfo info, byte[] digest, bool bootstrap = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_gate)
        {
            if (bootstrap && _tokens.Values.Any(t => t.Bootstrap && t.Token.Info.Tenant == info.Tenant && t.Token.Info.RevokedAt is null))
            {
                return Task.FromResult(false);
            }

            _tokens.Add(info.Id, (new StoredToken(info, digest), bootstrap));
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<ApiTokenInfo?> RevokeAsync(string id, string tenant, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(id, out var t) || t.Token.Info.Tenant != tenant)
            {
                return Task.FromResult<ApiTokenInfo?>(null);
            }

            var info = t.Token.Info with { RevokedAt = t.Token.Info.RevokedAt ?? at };
            _tokens[id] = (t.Token with { Info = info }, t.Bootstrap);
            return Task.FromResult<ApiTokenInfo?>(info);
        }
    }

    /// <inheritdoc />
    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_tokens.TryGetValue(id, out var t) && (t.Token.Info.LastUsedAt is null || t.Token.Info.LastUsedAt < at))
            {
                _tokens[id] = (t.Token with { Info = t.Token.Info with { LastUsedAt = at } }, t.Bootstrap);
            }

            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task<bool> HasActiveAdminAsync(string tenant, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            return Task.FromResult(_tokens.Values.Any(t => t.Token.Info is { } i && i.Tenant == tenant && i.Roles.HasFlag(Roles.Admin) && i.Regions.IsDefaultOrEmpty && i.IsActiveAt(now)));
        }
    }

    /// <inheritdoc />
    public Task<bool> TenantExistsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_tenants.Contains(tenant));
        }
    }

    /// <inheritdoc />
    public Task<bool> CreateTenantAsync(string tenant, string displayName, string actor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_tenants.Add(tenant));
        }
    }

    /// <inheritdoc />
    public Task DeleteTenantAsync(string tenant, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_tokens.Values.Any(t => t.Token.Info.Tenant == tenant))
            {
                _tenants.Remove(tenant);
            }

            return Task.CompletedTask;
        }
    }
}
