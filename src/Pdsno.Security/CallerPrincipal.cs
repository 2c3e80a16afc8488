using System.Security.Claims;
using Pdsno.Abstractions.Security;

namespace Pdsno.Security;

/// <summary>
/// The caller as ASP.NET Core sees it: an identity that carries the <see cref="Caller"/> itself, so GraphQL, the
/// policies and the endpoints read one and the same object; only the token's id and name are claims, for logs and
/// middleware (roles and regions are read from the caller, never from claims).
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    /// <summary>Creates the identity of <paramref name="caller"/>, authenticated by <paramref name="scheme"/>.</summary>
    public CallerIdentity(Caller caller, string scheme)
        : base(ClaimsOf(caller), scheme)
    {
        Caller = caller;
    }

    /// <summary>The caller.</summary>
    public Caller Caller { get; }

    private static IEnumerable<Claim> ClaimsOf(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        yield return new Claim(ClaimTypes.NameIdentifier, caller.TokenId);
        yield return new Claim(ClaimTypes.Name, caller.TokenName);
    }
}

/// <summary>Reads the caller of a request.</summary>
public static class CallerPrincipal
{
    /// <summary>The authenticated caller of <paramref name="user"/>, or null.</summary>
    public static Caller? CallerOf(ClaimsPrincipal? user)
    {
        if (user is null)
        {
            return null;
        }

        foreach (var identity in user.Identities)
        {
            if (identity is CallerIdentity { IsAuthenticated: true } caller)
            {
                return caller.Caller;
            }
        }

        return null;
    }

    /// <summary>The caller of a request an authorization policy let through.</summary>
    public static Caller RequiredCallerOf(ClaimsPrincipal? user) =>
        CallerOf(user) ?? throw new InvalidOperationException("the request has no authenticated caller; is the endpoint behind a PDSNO policy?");
}
