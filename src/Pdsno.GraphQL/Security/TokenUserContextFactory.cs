using Microsoft.AspNetCore.Http;
using Pdsno.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>
/// The caller of a GraphQL request is the one the host's token authentication established for the request (HTTP,
/// and the WebSocket upgrade request), or, over WebSocket, the one the connection_init payload's token authenticates
/// through the same <see cref="TokenAuthenticator"/>; there is no anonymous access. Roles are checked per field by
/// <see cref="AuthorizationRule"/>.
/// </summary>
public sealed class TokenUserContextFactory(TokenAuthenticator authenticator) : IPdsnoUserContextFactory
{
    /// <summary>The token a WebSocket connection_init payload presents (<c>Authorization</c> as over HTTP, or <c>token</c>).</summary>
    public static string? PresentedToken(IReadOnlyDictionary<string, object?>? payload)
    {
        if (payload is null)
        {
            return null;
        }

        foreach (var (key, value) in payload)
        {
            if (value is string text && (key.Equals("authorization", StringComparison.OrdinalIgnoreCase) || key.Equals("token", StringComparison.OrdinalIgnoreCase)))
            {
                return ApiTokenAuthenticationHandler.PresentedToken(text);
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask<PdsnoUserContext> CreateAsync(HttpContext httpContext, IReadOnlyDictionary<string, object?>? initPayload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (CallerPrincipal.CallerOf(httpContext.User) is { } caller)
        {
            return new PdsnoUserContext { Caller = caller };
        }

        var outcome = httpContext.Features.Get<TokenAuthenticationFeature>()?.Outcome ?? AuthenticationOutcome.Anonymous;
        if (PresentedToken(initPayload) is { } presented)
        {
            outcome = await authenticator.AuthenticateAsync(presented, httpContext.Connection.RemoteIpAddress);
        }

        return outcome.Caller is { } fromPayload
            ? new PdsnoUserContext { Caller = fromPayload }
            : throw new AuthenticationRequiredException(outcome.Failure is null
                ? "An API token is required: send 'Authorization: Bearer pdsno_...' (over WebSocket: in the connection_init payload)."
                : "The API token was refused.");
    }
}
