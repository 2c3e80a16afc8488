using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL;
using Pdsno.GraphQL.Hosting;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Audit;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.ReadModel;

namespace Pdsno.IntegrationTests.GraphQL;

/// <summary>
/// The schema over a real, seeded read model: tenant "acme" has 250 devices in three regions with interfaces,
/// a chain of links and 30 events; "other" has 5 devices; "paths" a small graph with a known shortest path;
/// "stab" is for tests that insert rows.
/// </summary>
public sealed class GraphQLTestHost : IAsyncDisposable
{
    private static readonly SemaphoreSlim SeedGate = new(1, 1);
    private static string? _seeded;

    private readonly ServiceProvider _services;

    private GraphQLTestHost(string connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        ConnectionString = connectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<IGrainFactory>(FakeGrainFactory.Create());
        services.AddSingleton<IAuditChain>(sp => new AuditChainWriter(sp.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System));
        services.AddPdsnoGraphQLSchema(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string ConnectionString { get; }

    public SqlStatementCounter Statements => _services.GetRequiredService<SqlStatementCounter>();

    public IServiceProvider Services => _services;

    public static async Task<GraphQLTestHost> StartAsync(PostgresFixture postgres, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await SeedGate.WaitAsync();
        try
        {
            if (_seeded is null)
            {
                var db = await postgres.CreateDatabaseAsync();
                await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
                await SeedAsync(db);
                _seeded = db;
            }
        }
        finally
        {
            SeedGate.Release();
        }

        return new GraphQLTestHost(_seeded, settings ?? new Dictionary<string, string?>());
    }

    /// <summary>The schema over a database that may not exist or answer: for tests of failures.</summary>
    public static GraphQLTestHost Over(string connectionString) => new(connectionString, new Dictionary<string, string?>());

    public static string Dev(int i) => $"c{i:x12}";

    public async Task<JsonElement> ExecuteAsync(string query, string tenant = "acme", Inputs? variables = null, Caller? caller = null)
    {
        var executer = _services.GetRequiredService<IDocumentExecuter<ISchema>>();
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = query,
            Variables = variables,
            UserContext = new PdsnoUserContext { Caller = caller ?? new Caller(tenant, "0000000000000000", "test", Roles.Admin, []) },
            RequestServices = _services,
        });
        var json = _services.GetRequiredService<IGraphQLTextSerializer>().Serialize(result);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public async Task<int> SqlAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static async Task SeedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await SeedTenantAsync(connection, "acme", 250);
        await SeedTenantAsync(connection, "other", 5);
        await SeedTenantAsync(connection, "stab", 30);
        await ExecAsync(connection, """
            INSERT INTO events (tenant, seq, type, aggregate_id, aggregate_version, ordinal, region, device, occurred_at)
            SELECT 'acme', i, (ARRAY['DeviceAdded','LinkDown','LinkUp','DeviceStatusChanged'])[i % 4 + 1], 'agg', i, 0,
                   CASE WHEN i % 2 = 0 THEN 'north' ELSE 'south' END, 'c' || lpad(to_hex(i), 12, '0'), now()
            FROM generate_series(1, 30) i;
            INSERT INTO tenant_event_sequence VALUES ('acme', 30);
            """);

        // "paths": A-B-C-D is the shortest path over UP links because the shorter A-E-D has A-E down; F is isolated.
        await ExecAsync(connection, """
            INSERT INTO regions (tenant, region, state_version) VALUES ('paths', 'lab', 1);
            INSERT INTO devices (tenant, device, region, chassis_id, name, vendor, model, os_version, management_address, role, status, status_since, first_seen, state_version)
            SELECT 'paths', d, 'lab', d, d, 'sim', 'm', '1', '192.0.2.1', 'access', 'ACTIVE', now(), now(), 1 FROM unnest(ARRAY['a','b','c','d','e','f']) d;
            INSERT INTO links (tenant, link, region, device_a, interface_a, device_b, interface_b, speed_bps, status, status_since, state_version) VALUES
              ('paths', 'a:p1|b:p1', 'lab', 'a', 'p1', 'b', 'p1', 1000, 'UP', now(), 1),
              ('paths', 'b:p2|c:p1', 'lab', 'b', 'p2', 'c', 'p1', 1000, 'UP', now(), 1),
              ('paths', 'c:p2|d:p1', 'lab', 'c', 'p2', 'd', 'p1', 1000, 'UP', now(), 1),
              ('paths', 'a:p2|e:p1', 'lab', 'a', 'p2', 'e', 'p1', 1000, 'DOWN', now(), 1),
              ('paths', 'd:p2|e:p2', 'lab', 'd', 'p2', 'e', 'p2', 1000, 'UP', now(), 1);
            """);
    }

    private static async Task SeedTenantAsync(NpgsqlConnection connection, string tenant, int count)
    {
        const string RegionOf = "CASE WHEN i <= 120 THEN 'north' WHEN i <= 240 THEN 'south' ELSE 'east' END";
        await ExecAsync(connection, $"""
            INSERT INTO regions (tenant, region, state_version, name) VALUES ('{tenant}', 'north', 1, 'North Zone'), ('{tenant}', 'south', 1, NULL), ('{tenant}', 'east', 1, 'East');
            INSERT INTO devices (tenant, device, region, chassis_id, name, vendor, model, os_version, management_address, role, status, status_since, first_seen, state_version)
            SELECT '{tenant}', 'c' || lpad(to_hex(i), 12, '0'), {RegionOf}, 'chassis-' || i, 'sw-' || lpad(i::text, 3, '0'),
                   (ARRAY['cisco','juniper','arista'])[i % 3 + 1], 'm1', '1.0', '10.0.' || (i / 256) || '.' || (i % 256),
                   CASE WHEN i % 10 = 0 THEN 'core' ELSE 'access' END, CASE WHEN i % 25 = 0 THEN 'UNREACHABLE' ELSE 'ACTIVE' END, now(), now(), 1
            FROM generate_series(1, {count}) i;
            INSERT INTO interfaces (tenant, device, name, if_index, mac, speed_bps, admin_status, oper_status, state_version)
            SELECT '{tenant}', 'c' || lpad(to_hex(i), 12, '0'), 'eth' || j, j + 1, '02:00:00:00:00:0' || j, 1000000000, 'UP', CASE WHEN j = 3 THEN 'DOWN' ELSE 'UP' END, 1
            FROM generate_series(1, {count}) i, generate_series(0, 3) j;
            INSERT INTO links (tenant, link, region, device_a, interface_a, device_b, interface_b, speed_bps, status, status_since, state_version)
            SELECT '{tenant}', 'c' || lpad(to_hex(i), 12, '0') || ':eth1|' || 'c' || lpad(to_hex(i + 1), 12, '0') || ':eth0', {RegionOf},
                   'c' || lpad(to_hex(i), 12, '0'), 'eth1', 'c' || lpad(to_hex(i + 1), 12, '0'), 'eth0', 1000000000,
                   CASE WHEN i % 13 = 0 THEN 'DOWN' ELSE 'UP' END, now(), 1
            FROM generate_series(1, {count} - 1) i;
            """);
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Reading GraphQL responses in assertions.</summary>
public static class GraphQLResponse
{
    public static JsonElement Data(this JsonElement response, params string[] path)
    {
        if (response.TryGetProperty("errors", out var errors))
        {
            throw new Xunit.Sdk.XunitException("unexpected errors: " + errors);
        }

        var node = response.GetProperty("data");
        foreach (var step in path)
        {
            node = node.GetProperty(step);
        }

        return node;
    }

    public static JsonElement SingleError(this JsonElement response)
    {
        Assert.True(response.TryGetProperty("errors", out var errors), "expected an error: " + response);
        return Assert.Single(errors.EnumerateArray());
    }

    public static string Code(this JsonElement error) => error.GetProperty("extensions").GetProperty("code").GetString()!;

    public static string Message(this JsonElement error) => error.GetProperty("message").GetString()!;
}
