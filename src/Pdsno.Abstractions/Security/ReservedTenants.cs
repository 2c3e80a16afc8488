namespace Pdsno.Abstractions.Security;

/// <summary>Tenant keys PDSNO keeps for itself: no tenant is created and no token is issued under them.</summary>
public static class ReservedTenants
{
    /// <summary>
    /// The tenant the GraphQL warm-up reads as at start: it never has a token, so it never holds data, and what the
    /// warm-up reads is empty by construction.
    /// </summary>
    public const string WarmUp = "pdsno-warm-up";

    /// <summary>True when <paramref name="tenant"/> is reserved.</summary>
    public static bool IsReserved(string? tenant) => string.Equals(tenant, WarmUp, StringComparison.Ordinal);
}
