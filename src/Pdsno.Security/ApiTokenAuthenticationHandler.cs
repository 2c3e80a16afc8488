using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using System.Security.Claims;

namespace Pdsno.Security;

/// <summary>What authenticating the request's token came to, kept on the request (for the 429 answer and the challenge text).</summary>
public sealed class TokenAuthenticationFeature(AuthenticationOutcome outcome)
{
    /// <summary>The outcome.</summary>
    public AuthenticationOutcome Outcome { get; } = outcome;
}

/// <summary>
/// The ASP.NET Core authentication scheme of API tokens: <c>Authorization: Bearer pdsno_...</c>, or Basic with the
/// token as the password (browsers, the dashboard). A request without a token goes on anonymous; policies on the
/// endpoints decide what needs a caller. The challenge is Bearer, or Basic where an endpoint asks for a browser login.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "pdsno-token";

    /// <summary>The token an HTTP request presents: <c>Authorization: Bearer</c>, or Basic with the token as password.</summary>
    public static string? PresentedToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PresentedToken(request.Headers.Authorization.ToString());
    }

    /// <summary>
    /// The token an <c>Authorization</c> value presents (an HTTP header, or the same key of a WebSocket connection_init
    /// payload): Bearer, Basic with the token as password, or the bare token; null when empty.
    /// </summary>
    public static string? PresentedToken(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        header = header.Trim();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? pair[(colon + 1)..] : pair;
            }
            catch (FormatException)
            {
                return header;
            }
        }

        return header.Length == 0 ? null : header;
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var outcome = await authenticator.AuthenticateAsync(PresentedToken(Request), Context.Connection.RemoteIpAddress);
        Context.Features.Set(new TokenAuthenticationFeature(outcome));
        if (outcome.Caller is { } caller)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new CallerIdentity(caller, Scheme.Name)), Scheme.Name));
        }

        return outcome.Failure is null ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(outcome.Failure);
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var outcome = Context.Features.Get<TokenAuthenticationFeature>()?.Outcome;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = Context.GetEndpoint()?.Metadata.GetMetadata<BrowserLogin>() is { } login
            ? $"Basic realm=\"{login.Realm}\", charset=\"UTF-8\""
            : "Bearer realm=\"pdsno\"";
        await Response.WriteAsync(outcome?.Failure is null ? "an API token is required" : "the API token was refused");
    }
}

/// <summary>
/// Endpoint metadata: the endpoint is opened in a browser, so its challenge is Basic (the browser asks for a user
/// name and password; the password is an API token). API endpoints keep Bearer, so a script calling them from a page
/// never pops up a login box.
/// </summary>
public sealed class BrowserLogin(string realm)
{
    /// <summary>What the browser shows in its login box.</summary>
    public string Realm { get; } = realm;
}

/// <summary>Declares browser logins on endpoints.</summary>
public static class BrowserLoginExtensions
{
    /// <summary>Challenges anonymous browsers of these endpoints with Basic, showing <paramref name="realm"/>.</summary>
    public static TBuilder WithBrowserLogin<TBuilder>(this TBuilder builder, string realm)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new BrowserLogin(realm));
    }
}
