using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Security;

namespace Pdsno.GraphQL.Hosting;

/// <summary>Token authentication and the abuse limits in front of every endpoint (section <c>Security</c>).</summary>
public static class SecurityHosting
{
    /// <summary>Registers the authenticator, quotas and the per-address rate limiter.</summary>
    public static IServiceCollection AddPdsnoSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ProviderTenant), "Security:ProviderTenant must not be empty")
            .Validate(o => o.RateLimits.Problems().Count == 0, "Security:RateLimits has invalid values")
            .Validate(o => o.TrustedProxies.All(p => IPAddress.TryParse(p, out _)), "Security:TrustedProxies must hold IP addresses")
            .ValidateOnStart();
        services.AddSingleton<TokenAuthenticator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>>((limiter, security) =>
        {
            var limits = security.Value.RateLimits;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
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
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.Response.WriteAsync("Too many requests from this address.", cancellationToken);
            };
        });
        return services;
    }

    /// <summary>
    /// Puts the client address (from the connection, or from <c>X-Forwarded-For</c> only when the connection comes from
    /// a configured trusted proxy), the per-address rate limit, the body size limit and token authentication in front
    /// of every endpoint. Call it before mapping endpoints.
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
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            app.UseForwardedHeaders(forwarded);
        }

        var maxBody = options.RateLimits.MaxRequestBodyBytes;
        app.Use((context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
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
        app.UseMiddleware<CallerAuthenticationMiddleware>();
        return app;
    }
}
