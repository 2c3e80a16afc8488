using System.Collections.Immutable;

namespace Pdsno.Abstractions.Security;

/// <summary>
/// Who is asking: the tenant, token and roles behind a request, as established from a credential. It travels with
/// grain calls (see <see cref="CallerContext"/>) so the grain boundary can check it again.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.caller")]
public sealed record Caller(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string TokenId,
    [property: Id(2)] string TokenName,
    [property: Id(3)] Roles Roles,
    [property: Id(4)] ImmutableArray<string> Regions,
    [property: Id(5)] bool IsSystem = false)
{
    /// <summary>PDSNO itself (start-up, discovery, bootstrap), acting for no token.</summary>
    public static Caller System { get; } = new("", "", "system", Roles.None, [], IsSystem: true);

    /// <summary>True when the token is limited to some regions.</summary>
    public bool IsRegionScoped => !IsSystem && !Regions.IsDefaultOrEmpty;

    /// <summary>How the caller appears in the audit trail: never a secret.</summary>
    public string Actor => IsSystem ? "system" : $"token {TokenId} ({TokenName})";

    /// <summary>True when the caller holds <paramref name="role"/> (directly or implied).</summary>
    public bool Has(Roles role) => IsSystem || (RoleNames.Effective(Roles) & role) == role;

    /// <summary>True when the caller may see or act in <paramref name="region"/>.</summary>
    public bool CanSeeRegion(string? region) =>
        IsSystem || Regions.IsDefaultOrEmpty || (region is not null && Regions.Contains(region, StringComparer.Ordinal));
}
