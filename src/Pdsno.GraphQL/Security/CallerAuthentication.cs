using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>What authentication made of a request: kept on the request for the endpoints to decide.</summary>
public sealed class CallerFeature(AuthenticationOutcome outcome)
{
    /// <summary>The outcome.</summary>
    public AuthenticationOutcome Outcome { get; } = outcome;

    /// <summary>The authenticated caller, if any.</summary>
    public Caller? Caller => Outcome.Caller;
}

/// <summary>
/// Authenticates every request that presents a token, before any endpoint runs. Requests that present none go on
/// anonymous; endpoints that need a caller (everything but health and the IDE page) refuse them.
/// </summary>
public sealed class CallerAuthenticationMiddleware(RequestDelegate next, TokenAuthenticator authenticator)
{
    /// <summary>Runs the middleware.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = await authenticator.AuthenticateAsync(TokenAuthenticator.PresentedToken(context.Request), context.Connection.RemoteIpAddress);
        if (outcome.RetryAfter is { } retryAfter)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsync("Too many requests: " + outcome.Failure);
            return;
        }

        context.Features.Set(new CallerFeature(outcome));
        await next(context);
    }

    /// <summary>The request's caller, or null after writing 401 (no or bad credential) or 403 (role missing).</summary>
    public static async Task<Caller?> RequireAsync(HttpContext context, Roles role, string realm)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = context.Features.Get<CallerFeature>()?.Outcome ?? AuthenticationOutcome.Anonymous;
        if (outcome.Caller is not { } caller)
        {
            await ChallengeAsync(context, realm, outcome.Failure is null ? "an API token is required" : "the API token was refused");
            return null;
        }

        if (!caller.Has(role))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"this needs the {RoleNames.NameOf(role)} role");
            return null;
        }

        return caller;
    }

    /// <summary>Lets requests under <paramref name="path"/> through only for callers holding <paramref name="role"/>.</summary>
    public static IApplicationBuilder RequireCallerOn(IApplicationBuilder app, PathString path, Roles role, string realm) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                if (await RequireAsync(context, role, realm) is not null)
                {
                    await next(context);
                }
            }));

    /// <summary>The authenticated caller of a request that went through <see cref="RequireAsync"/>.</summary>
    public static Caller CallerOf(HttpContext context) =>
        context?.Features.Get<CallerFeature>()?.Caller ?? throw new InvalidOperationException("the request has no authenticated caller");

    /// <summary>Answers 401 with the challenge a client (or a browser, for Basic) understands.</summary>
    public static async Task ChallengeAsync(HttpContext context, string realm, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = realm == "dashboard"
            ? "Basic realm=\"PDSNO dashboard (password: an admin API token)\", charset=\"UTF-8\""
            : $"Bearer realm=\"{realm}\"";
        await context.Response.WriteAsync(message);
    }
}
