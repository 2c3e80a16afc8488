using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Security;

/// <summary>A stored token: what may be shown, plus the digest its secret is checked against.</summary>
public sealed record StoredToken(ApiTokenInfo Info, byte[] Digest);

/// <summary>
/// Where tenants and API tokens are kept. Secrets never reach it: only their digests. The grains own this contract;
/// the store implements it (PostgreSQL in a silo, memory in grain tests).
/// </summary>
public interface IApiTokenStore
{
    /// <summary>The token with this id, or null.</summary>
    Task<StoredToken?> LoadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The tenant's tokens, oldest first.</summary>
    Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new token. A bootstrap token is stored only if the tenant has none yet (false otherwise), so silos
    /// starting together create one between them.
    /// </summary>
    Task<bool> InsertAsync(ApiTokenInfo info, byte[] digest, bool bootstrap = false, CancellationToken cancellationToken = default);

    /// <summary>Marks the token revoked (once); the stored token afterwards, or null when the tenant has no such token.</summary>
    Task<ApiTokenInfo?> RevokeAsync(string id, string tenant, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records when a token was last used (only ever moves forward).</summary>
    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>True when the tenant has an admin token that is neither revoked nor expired.</summary>
    Task<bool> HasActiveAdminAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>True when the tenant exists.</summary>
    Task<bool> TenantExistsAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Creates the tenant; false when it already exists.</summary>
    Task<bool> CreateTenantAsync(string tenant, string displayName, string actor, CancellationToken cancellationToken = default);

    /// <summary>Removes a tenant row that was just created when creating its first token failed.</summary>
    Task DeleteTenantAsync(string tenant, CancellationToken cancellationToken = default);
}
