using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>A tenant's security administration: creating its tokens, and creating tenants (provider tenant only).</summary>
[Alias("pdsno.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates a token of this tenant and returns its secret, once.</summary>
    [Alias("CreateToken"), Requires(Roles.Admin, TenantWide = true)]
    Task<CreatedToken> CreateTokenAsync(TokenSpec spec);

    /// <summary>This tenant's tokens, oldest first, without secrets.</summary>
    [Alias("ListTokens"), Requires(Roles.Admin, TenantWide = true)]
    Task<IReadOnlyList<ApiTokenInfo>> ListTokensAsync();

    /// <summary>
    /// Creates this tenant with a first admin token; only an admin of the provider tenant (the one PDSNO's operator
    /// runs as) may, so the grain checks the caller itself.
    /// </summary>
    [Alias("Create"), Requires(Roles.Admin, TenantWide = true, GrainChecksTenant = true)]
    Task<CreatedToken> CreateAsync(string displayName);
}
