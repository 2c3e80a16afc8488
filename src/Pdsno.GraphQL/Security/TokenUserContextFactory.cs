using Microsoft.AspNetCore.Http;

namespace Pdsno.GraphQL.Security;

/// <summary>
/// The caller of a GraphQL request is whoever the request's token (HTTP) or the connection_init payload's token
/// (WebSocket; the upgrade request's header also counts) authenticates; there is no anonymous access.
/// </summary>
public sealed class TokenUserContextFactory(TokenAuthenticator authenticator) : IPdsnoUserContextFactory
{
    /// <inheritdoc />
    public async ValueTask<PdsnoUserContext> CreateAsync(HttpContext httpContext, IReadOnlyDictionary<string, object?>? initPayload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var outcome = httpContext.Features.Get<CallerFeature>()?.Outcome ?? AuthenticationOutcome.Anonymous;
        if (outcome.Caller is null && TokenAuthenticator.PresentedToken(initPayload) is { } presented)
        {
            outcome = await authenticator.AuthenticateAsync(presented, httpContext.Connection.RemoteIpAddress);
        }

        return outcome.Caller is { } caller
            ? new PdsnoUserContext { Caller = caller }
            : throw new AuthenticationRequiredException(outcome.Failure is null
                ? "An API token is required: send 'Authorization: Bearer pdsno_...' (over WebSocket: in the connection_init payload)."
                : "The API token was refused.");
    }
}
