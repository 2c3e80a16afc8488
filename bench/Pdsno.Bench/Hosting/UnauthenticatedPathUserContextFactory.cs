using Microsoft.AspNetCore.Http;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL;
using Pdsno.GraphQL.Security;

namespace Pdsno.Bench.Hosting;

/// <summary>
/// The baseline of the auth scenario: requests to <see cref="Path"/> verify no token and run as a fixed system caller
/// of one tenant, which the authorization rule and the grain-call filter let through without checking; every other
/// request is authenticated by the product's factory. Both paths share the transport, schema and execution.
/// </summary>
internal sealed class UnauthenticatedPathUserContextFactory(TokenUserContextFactory tokens, string tenant) : IPdsnoUserContextFactory
{
    /// <summary>The endpoint served without authentication and authorization (bench only).</summary>
    public const string Path = "/bench/graphql-without-auth";

    private readonly Caller _caller = new(tenant, "", "bench baseline", Roles.None, [], IsSystem: true);

    /// <inheritdoc />
    public ValueTask<PdsnoUserContext> CreateAsync(HttpContext httpContext, IReadOnlyDictionary<string, object?>? initPayload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Request.Path.StartsWithSegments(Path, StringComparison.Ordinal)
            ? ValueTask.FromResult(new PdsnoUserContext { Caller = _caller })
            : tokens.CreateAsync(httpContext, initPayload, cancellationToken);
    }
}
