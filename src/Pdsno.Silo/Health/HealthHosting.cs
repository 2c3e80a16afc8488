using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Pdsno.Storage;

namespace Pdsno.Silo.Health;

/// <summary>Liveness (the process answers) and readiness (PostgreSQL answers and this silo is an active member).</summary>
public static class HealthHosting
{
    /// <summary>Registers the readiness checks.</summary>
    public static WebApplicationBuilder AddPdsnoHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("postgresql", tags: ["ready"])
            .AddCheck<SiloMembershipCheck>("silo", tags: ["ready"]);
        return builder;
    }

    /// <summary>Maps <c>/health/live</c> and <c>/health/ready</c>.</summary>
    public static WebApplication MapPdsnoHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync });
        return app;
    }

    /// <summary>
    /// Writes the report in our words. A check that threw carries the exception's message as its description; that text
    /// (addresses, server messages) is for the log, not for whoever can reach the port.
    /// </summary>
    internal static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Exception is null ? e.Value.Description : "the check failed; the silo log has the detail" }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

/// <summary>PostgreSQL answers a trivial query within two seconds.</summary>
internal sealed partial class DatabaseCheck(NpgsqlDataSource dataSource, DatabaseHealth health, ILogger<DatabaseCheck> logger) : IHealthCheck
{
    /// <summary>What the check answers when PostgreSQL does not: no server message, no address.</summary>
    internal const string Unavailable = "database unavailable";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            health.ReportSuccess();
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            health.ReportFailure(ex);
            LogUnavailable(logger, ex);
            return HealthCheckResult.Unhealthy(Unavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: PostgreSQL does not answer")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}

/// <summary>This silo is an active member of the cluster.</summary>
internal sealed class SiloMembershipCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        // No address: readiness answers without a token, and the silo's address is the operator's to know.
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active in the cluster")
            : HealthCheckResult.Unhealthy($"silo not active in the cluster ({status})"));
    }
}
