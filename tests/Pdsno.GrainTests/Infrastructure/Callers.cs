using Pdsno.Abstractions.Security;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>Fresh tenants and the callers a token of theirs would authenticate as.</summary>
public static class Callers
{
    /// <summary>A tenant no other test uses.</summary>
    public static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A caller of <paramref name="tenant"/> with <paramref name="roles"/>, limited to <paramref name="regions"/> when any are given.</summary>
    public static Caller Of(string tenant, Roles roles, params string[] regions) =>
        new(tenant, "tok_" + Guid.NewGuid().ToString("N")[..8], roles.ToString().ToLowerInvariant(), roles, [.. regions]);

    /// <summary>Makes <paramref name="caller"/> the caller of the grain calls in <paramref name="call"/>.</summary>
    public static async Task<T> AsAsync<T>(this Caller caller, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var _ = CallerContext.Use(caller);
        return await call();
    }

    /// <summary>Makes <paramref name="caller"/> the caller of the grain calls in <paramref name="call"/>.</summary>
    public static async Task AsAsync(this Caller caller, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var _ = CallerContext.Use(caller);
        await call();
    }
}
