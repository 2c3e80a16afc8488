using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>
/// One API token, keyed by its id (the tenant is only known once the token is found). Its single activation is
/// where every silo verifies the token, so a revocation holds everywhere the moment it returns.
/// </summary>
[Alias("pdsno.IApiTokenGrain")]
public interface IApiTokenGrain : IGrainWithStringKey
{
    /// <summary>The caller the secret authenticates, or why it does not (unknown, wrong secret, revoked or expired).</summary>
    [Alias("Verify"), AnyCaller]
    Task<TokenVerification> VerifyAsync(string secret);

    /// <summary>Revokes the token at once; null when the caller's tenant has no such token.</summary>
    [Alias("Revoke"), Requires(Roles.Admin, TenantWide = true, GrainChecksTenant = true)]
    Task<ApiTokenInfo?> RevokeAsync();
}
