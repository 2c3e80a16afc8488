using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Pdsno.Security.Hosting;

/// <summary>
/// Authentication by API token, the named policies of <see cref="PdsnoPolicies"/> and the abuse limits in front of
/// every endpoint (section <c>Security</c>). The host registers them once; GraphQL, the dashboard, <c>/metrics</c>,
/// <c>/status</c> and the sandbox all read the same caller.
/// </summary>
public static class SecurityHosting
{
    /// <summary>Registers the options, the token authenticator, the authentication scheme, the policies and the per-address rate limiter.</summary>
    public static IServiceCollection AddPdsnoSecurity(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());
        services.TryAddSingleton<TokenAuthenticator>();
        services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(PdsnoPolicies.Add);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, CallerRequirementHandler>());
        // Not TryAdd: AddAuthorization has registered the framework's result handler already.
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalResultHandler>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>>((limiter, security) =>
        {
            var limits = security.Value.RateLimits;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionOf(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.PerAddressBurst,
                    TokensPerPeriod = limits.PerAddressPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var after = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                SetRetryAfter(rejected.HttpContext.Response, after);
                await rejected.HttpContext.Response.WriteAsync("Too many requests from this address.", cancellationToken);
            };
        });
        return services;
    }

    /// <summary>
    /// Puts the client address (from the connection, or from <c>X-Forwarded-For</c> only when the connection comes from
    /// a configured trusted proxy), the per-address rate limit, the body size limit, token authentication (429 when the
    /// token or address is over its limits) and the endpoints' policies in front of every endpoint. Call it before
    /// mapping endpoints.
    /// </summary>
    public static IApplicationBuilder UsePdsnoSecurity(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (options.TrustedProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies)
            {
                // Every entry was validated at start (SecurityOptionsValidator).
                if (ClientAddress.TryParseProxy(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
            }

            app.UseForwardedHeaders(forwarded);
        }

        var maxBody = options.RateLimits.MaxRequestBodyBytes;
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = maxBody;
            }

            if (context.Request.ContentLength > maxBody)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return context.Response.WriteAsync($"The request body is larger than {maxBody} bytes.");
            }

            return next(context);
        });
        app.UseRateLimiter();
        app.UseAuthentication();
        app.Use((context, next) =>
        {
            // Over its rate, or from an address locked out after failures: refused before any endpoint, health included.
            if (context.Features.Get<TokenAuthenticationFeature>()?.Outcome is { RetryAfter: { } retryAfter, Failure: var failure })
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                SetRetryAfter(context.Response, retryAfter);
                return context.Response.WriteAsync("Too many requests: " + failure);
            }

            return next(context);
        });
        app.UseAuthorization();
        return app;
    }

    private static void SetRetryAfter(HttpResponse response, TimeSpan after) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
    {
        public ValidateOptionsResult Validate(string? name, SecurityOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
