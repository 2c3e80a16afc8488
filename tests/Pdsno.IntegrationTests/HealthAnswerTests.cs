using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Silo.Health;
using Pdsno.Storage;

namespace Pdsno.IntegrationTests;

/// <summary><c>/health/ready</c> says what is wrong in PDSNO's words; server messages and addresses stay in the log.</summary>
public sealed class HealthAnswerTests
{
    [Fact]
    public async Task An_unreachable_database_is_reported_without_the_drivers_message()
    {
        // Nothing listens on this port: the driver's message would name the address it failed to reach.
        var port = SiloProcess.FreePort();
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=nobody;Password=x;Database=none;Timeout=2");
        var check = new DatabaseCheck(dataSource, new DatabaseHealth(), NullLogger<DatabaseCheck>.Instance);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("database unavailable", result.Description);
        Assert.Null(result.Exception);
    }

    [Fact]
    public async Task A_check_that_threw_is_reported_without_the_exception_text()
    {
        var entries = new Dictionary<string, HealthReportEntry>
        {
            ["postgresql"] = new(HealthStatus.Unhealthy, "Failed to connect to 10.1.2.3:5432", TimeSpan.Zero, new NpgsqlException("Failed to connect to 10.1.2.3:5432"), null),
        };
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await HealthHosting.WriteAsync(context, new HealthReport(entries, TimeSpan.Zero));

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("Unhealthy", body, StringComparison.Ordinal);
        Assert.DoesNotContain("10.1.2.3", body, StringComparison.Ordinal);
    }
}
