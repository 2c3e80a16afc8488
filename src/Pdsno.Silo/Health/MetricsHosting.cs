using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Security;

namespace Pdsno.Silo.Health;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format: Orleans, ASP.NET Core, Kestrel and Npgsql meters. It needs a viewer
/// token unless <c>Security:MetricsRequireToken</c> is false (for a scraper inside a trusted network).
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
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.MetricsRequireToken)
        {
            CallerAuthenticationMiddleware.RequireCallerOn(app, "/metrics", Roles.Viewer, "pdsno");
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
