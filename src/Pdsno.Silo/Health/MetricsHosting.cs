using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Pdsno.Security;

namespace Pdsno.Silo.Health;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format: Orleans, ASP.NET Core, Kestrel and Npgsql meters. The figures cover
/// the whole cluster, every tenant, so they need the token of an admin of the provider tenant without a region limit
/// (<see cref="PdsnoPolicies.ProviderAdmin"/>), unless <c>Security:MetricsRequireToken</c> is false (for a scraper
/// inside a trusted network).
/// </summary>
public static class MetricsHosting
{
    /// <summary>Collects the meters.</summary>
    public static WebApplicationBuilder AddPdsnoMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans")
            .AddMeter("Microsoft.AspNetCore.Hosting")
            .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
            .AddMeter("Npgsql")
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Maps <c>/metrics</c>, behind a token unless configured otherwise.</summary>
    public static WebApplication MapPdsnoMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.MetricsRequireToken)
        {
            metrics.RequireAuthorization(PdsnoPolicies.ProviderAdmin);
        }

        return app;
    }
}
