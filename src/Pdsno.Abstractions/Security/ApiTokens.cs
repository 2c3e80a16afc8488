using System.Collections.Immutable;

namespace Pdsno.Abstractions.Security;

/// <summary>What an admin asks for when creating a token.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.token-spec")]
public sealed record TokenSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] Roles Roles,
    [property: Id(2)] ImmutableArray<string> Regions,
    [property: Id(3)] DateTimeOffset? ExpiresAt);

/// <summary>A token as it may be shown: everything but the secret.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.api-token-info")]
public sealed record ApiTokenInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string Name,
    [property: Id(3)] Roles Roles,
    [property: Id(4)] ImmutableArray<string> Regions,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] string CreatedBy,
    [property: Id(7)] DateTimeOffset? ExpiresAt,
    [property: Id(8)] DateTimeOffset? RevokedAt,
    [property: Id(9)] DateTimeOffset? LastUsedAt)
{
    /// <summary>True while the token can authenticate at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A token just created: the only moment its secret exists outside the caller's hands.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.created-token")]
public sealed record CreatedToken(
    [property: Id(0)] ApiTokenInfo Token,
    [property: Id(1)] string Secret);

/// <summary>The answer to "who does this secret belong to": the caller, or why not (never the secret itself).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.token-verification")]
public sealed record TokenVerification(
    [property: Id(0)] Caller? Caller,
    [property: Id(1)] string? Tenant,
    [property: Id(2)] string? Failure)
{
    /// <summary>A refusal; <paramref name="tenant"/> is known when the token id exists.</summary>
    public static TokenVerification Refused(string? tenant, string failure) => new(null, tenant, failure);
}
