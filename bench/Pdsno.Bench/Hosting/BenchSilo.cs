using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pdsno.Abstractions.Security;
using Pdsno.Bench.Scenarios;
using Pdsno.Bench.Workload;
using Pdsno.GraphQL;
using Pdsno.GraphQL.Hosting;
using Pdsno.GraphQL.Security;
using Pdsno.Security.Hosting;
using Pdsno.Silo.Analytics;
using Pdsno.Silo.Hosting;
using Pdsno.Silo.OperatorConsole;
using Pdsno.Grains.Projection;
using Pdsno.Grains.Security;
using Pdsno.Storage.Projection;
using Pdsno.Storage.Security;
using Pdsno.Webhooks.Hosting;

namespace Pdsno.Bench.Hosting;

/// <summary>
/// One real PDSNO silo in this process, configured by the Silo's own hosting extensions, on a database
/// created for the scenario (and dropped afterwards unless kept).
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private const string Unlimited = "1000000";
    private readonly WebApplication _app;
    private readonly string _adminConnectionString;
    private readonly bool _keepDatabase;

    private BenchSilo(WebApplication app, string adminConnectionString, string database, string connectionString, bool keepDatabase)
    {
        _app = app;
        _adminConnectionString = adminConnectionString;
        Database = database;
        ConnectionString = connectionString;
        _keepDatabase = keepDatabase;
    }

    public string Database { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public CallCounter Calls => _app.Services.GetRequiredService<CallCounter>();

    public LatencyRecorder Latency => _app.Services.GetRequiredService<LatencyRecorder>();

    public IngestWorkload Workload => _app.Services.GetRequiredService<IngestWorkload>();

    /// <summary>The silo's HTTP address (an ephemeral loopback port).</summary>
    public string HttpAddress => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Issues an API token of <paramref name="tenant"/> (created when missing) through the product's issuer; returns the presented form.</summary>
    public async Task<string> IssueTokenAsync(string tenant, Roles roles)
    {
        await _app.Services.GetRequiredService<ApiTokenStore>().CreateTenantAsync(tenant, tenant, "bench");
        var created = await _app.Services.GetRequiredService<TokenIssuer>().IssueAsync(tenant, new TokenSpec("bench", roles, [], null), "bench");
        return created?.Secret ?? throw new InvalidOperationException("no token was issued");
    }

    public static async Task<BenchSilo> StartAsync(string adminConnectionString, string scenario, bool timeProjections, bool keepDatabase)
    {
        var database = $"pdsno_bench_{scenario}_{Guid.NewGuid():n}"[..36];
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--urls", "http://127.0.0.1:0"],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Pdsno"] = connectionString,
            ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = "bench",
            ["Simulation:Enabled"] = "false",
            ["GraphQL:Tenant"] = "bench",
            // The bench measures throughput and latency, not the abuse limits: one client makes all the requests.
            ["Security:RateLimits:PerAddressPerSecond"] = Unlimited,
            ["Security:RateLimits:PerAddressBurst"] = Unlimited,
            ["Security:RateLimits:PerTokenPerSecond"] = Unlimited,
            ["Security:RateLimits:PerTokenBurst"] = Unlimited,
            ["Security:RateLimits:WebSocketsPerToken"] = Unlimited,
            ["Security:RateLimits:SubscriptionsPerToken"] = Unlimited,
            ["Security:RateLimits:SubscriptionsPerTenant"] = Unlimited,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Warning",
            ["Logging:LogLevel:Orleans.Runtime.Silo"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        // Figures go to stdout; the silo's own log goes to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.AddPdsnoStorage();
        builder.AddPdsnoOrleans();
        builder.AddPdsnoDiscovery();
        builder.AddPdsnoChangeRecovery();
        builder.AddPdsnoAnalytics();

        builder.Services.AddSingleton<CallCounter>();
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<CallCounter>());
        builder.Services.AddSingleton<LatencyRecorder>();
        builder.Services.AddSingleton<IngestWorkload>();
        if (timeProjections)
        {
            builder.Services.AddSingleton<PostgresProjectionWriter>();
            builder.Services.AddSingleton<IProjectionWriter>(sp => new TimingProjectionWriter(sp.GetRequiredService<PostgresProjectionWriter>(), sp.GetRequiredService<LatencyRecorder>()));
        }

        var api = scenario is "graphql" or "auth" or "fanout" or "changes" or "console";
        if (api)
        {
            builder.Services.AddPdsnoSecurity();
            builder.Services.AddPdsnoGraphQL(builder.Configuration);
        }

        if (scenario == "auth")
        {
            builder.Services.AddSingleton<IPdsnoUserContextFactory>(sp => new UnauthenticatedPathUserContextFactory(
                ActivatorUtilities.CreateInstance<TokenUserContextFactory>(sp), AuthScenario.Tenant));
        }

        if (scenario == "fanout")
        {
            // The fanout webhooks post to a receiver on this machine.
            builder.Configuration["Webhooks:AllowLoopback"] = "true";
            builder.AddPdsnoWebhooks();
        }

        var app = builder.Build();
        if (api)
        {
            app.UsePdsnoSecurity();
            app.MapPdsnoGraphQL();
        }

        if (scenario == "auth")
        {
            app.MapPdsnoGraphQL(UnauthenticatedPathUserContextFactory.Path);
        }

        if (scenario == "console")
        {
            app.MapPdsnoConsole();
        }

        await app.MigratePdsnoSchemaAsync();
        await app.StartAsync();
        return new BenchSilo(app, adminConnectionString, database, connectionString, keepDatabase);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
        }

        if (!_keepDatabase)
        {
            await using var admin = new NpgsqlConnection(_adminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
