using Npgsql;
using Pdsno.Grains.Changes;
using Pdsno.Grains.Intents;
using Pdsno.Storage;
using Pdsno.Storage.Audit;
using Pdsno.Storage.Migrations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pdsno.Abstractions.Security;
using Pdsno.Discovery.Config;
using Pdsno.Storage.Config;
using Pdsno.Grains.Projection;
using Pdsno.Grains.Security;
using Pdsno.Silo.Security;
using Pdsno.Storage.Projection;
using Pdsno.Storage.ReadModel;
using Pdsno.Storage.Security;

namespace Pdsno.Silo.Hosting;

/// <summary>PostgreSQL: the one store of grain state, membership, reminders, event log and read model.</summary>
public static class StorageHosting
{
    /// <summary>The configuration key of the connection string.</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Pdsno";

    /// <summary>Reads and checks the connection string; a missing or malformed one stops the start naming the key.</summary>
    public static string PdsnoConnectionString(this IConfiguration configuration)
    {
        var value = configuration.GetConnectionString("Pdsno");
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new StartupException($"{ConnectionStringKey} is not set. Give it as an environment variable (ConnectionStrings__Pdsno=\"Host=...;Username=...;Password=...;Database=...\") or use scripts/start.sh, which sets up a private PostgreSQL.");
        }

        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                throw new StartupException($"{ConnectionStringKey} names no Host.");
            }
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"{ConnectionStringKey} is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }

        return value;
    }

    /// <summary>Registers the data source, schema migrator, database health, and the PostgreSQL implementations of the grains' contracts.</summary>
    public static WebApplicationBuilder AddPdsnoStorage(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.PdsnoConnectionString();
        builder.Services.AddSingleton(_ =>
        {
            var source = new NpgsqlDataSourceBuilder(connectionString) { Name = "pdsno" };
            // No statement leaves session state behind (locks are transaction-scoped), so a connection taken from the
            // pool needs no DISCARD ALL: one statement less on every write of the change path.
            source.ConnectionStringBuilder.NoResetOnClose = true;
            return source.Build();
        });
        builder.Services.AddSingleton<DatabaseHealth>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<PostgresProjectionWriter>();
        builder.Services.AddSingleton<IProjectionWriter>(sp => sp.GetRequiredService<PostgresProjectionWriter>());
        builder.Services.AddSingleton<IChangeTopology, ChangeTopologyReader>();
        builder.Services.AddSingleton<IIntentTopologySource, IntentTopologyReader>();

        var tokenKey = TokenKeySetting.Read(builder.Configuration);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new TokenKeyring(sp.GetRequiredService<NpgsqlDataSource>(), tokenKey, sp.GetRequiredService<ILogger<TokenKeyring>>()));
        builder.Services.AddSingleton<ITokenKeyring>(sp => sp.GetRequiredService<TokenKeyring>());
        builder.Services.AddSingleton<ApiTokenStore>();
        builder.Services.AddSingleton<IApiTokenStore>(sp => sp.GetRequiredService<ApiTokenStore>());
        builder.Services.AddSingleton<AuditChainWriter>();
        builder.Services.AddSingleton<IAuditChain>(sp => sp.GetRequiredService<AuditChainWriter>());
        builder.Services.AddSingleton<AuditChainReader>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditLog>());
        builder.Services.AddSingleton<ISshHostKeyStore, PostgresSshHostKeyStore>();
        return builder;
    }

    /// <summary>
    /// Applies the schema before the silo starts. PostgreSQL unreachable here is a start-up error with a
    /// clear message: a silo that cannot store anything must not join the cluster.
    /// </summary>
    public static async Task MigratePdsnoSchemaAsync(this WebApplication app)
    {
        var connectionString = app.Configuration.PdsnoConnectionString();
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(connectionString, CancellationToken.None);
                if (await RuntimeRole.CanAlterAuditTrailAsync(connectionString, CancellationToken.None))
                {
                    app.Logger.LogWarning(
                        "The silo's database role ({Role}) is a superuser or owns the audit trail, so it could change audit records; give the silo a role of its own (README: Start it)",
                        new NpgsqlConnectionStringBuilder(connectionString).Username);
                }

                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (InvalidOperationException ex) when (ex.InnerException is PostgresException)
            {
                throw new StartupException(ex.Message, ex);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                var target = new NpgsqlConnectionStringBuilder(connectionString);
                throw new StartupException($"PostgreSQL at {target.Host}:{target.Port} (from {ConnectionStringKey}) is not reachable: {ex.Message}", ex);
            }
        }
    }
}
