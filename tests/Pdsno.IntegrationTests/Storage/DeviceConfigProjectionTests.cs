using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.Abstractions.Config;
using Pdsno.Grains.Projection;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.Projection;
using Pdsno.Storage.ReadModel;

namespace Pdsno.IntegrationTests.Storage;

/// <summary>
/// A device row keeps its configs through writes that leave them out (a lock, an unlock), keeps one copy when the device
/// runs its intended config, and reads back the same configs either way.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class DeviceConfigProjectionTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_row_keeps_its_configs_through_writes_that_leave_them_out_and_stores_a_running_intended_config_once()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        await using var source = NpgsqlDataSource.Create(db);
        await using var writer = new PostgresProjectionWriter(source, new DatabaseHealth(), NullLogger<PostgresProjectionWriter>.Instance);
        var reader = new TopologyReader(source, new SqlStatementCounter());
        var q = new ReadModelQueries(db);

        var intended = Config("r1", "10.1.0.0/24", "10.1.1.0/24");
        var drifted = Config("r1", "10.1.0.0/24");
        await writer.CommitAsync(Work(1, new DeviceConfigRow(intended, 3, drifted, Now, ConfigSections.All, true, null, null)));
        await writer.CommitAsync(Work(2, new DeviceConfigRow(intended, 3, drifted, Now, ConfigSections.All, true, "ch-1", null, WithConfigs: false)));

        var locked = (await reader.GetDeviceConfigsAsync("t", ["d1"]))["d1"];
        Assert.Equal("ch-1", locked.LockedBy);
        Assert.True(intended.SameAs(locked.Intended));
        Assert.True(drifted.SameAs(locked.Observed));

        // Applied: the device runs the new intended config, which the grain shares as its observed one.
        var applied = Config("r1", "10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24");
        await writer.CommitAsync(Work(3, new DeviceConfigRow(applied, 4, applied, Now, ConfigSections.All, false, "ch-1", null)));
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM devices WHERE observed_is_intended AND observed_config IS NULL"));
        await writer.CommitAsync(Work(4, new DeviceConfigRow(applied, 4, applied, Now, ConfigSections.All, false, null, null, WithConfigs: false)));

        var released = (await reader.GetDeviceConfigsAsync("t", ["d1"]))["d1"];
        Assert.Null(released.LockedBy);
        Assert.Equal(4, released.Version);
        Assert.True(applied.SameAs(released.Intended));
        Assert.True(applied.SameAs(released.Observed));

        // A stale write that carries configs changes nothing.
        await writer.CommitAsync(Work(2, new DeviceConfigRow(intended, 3, drifted, Now, ConfigSections.All, true, "ch-1", null)));
        Assert.True(applied.SameAs((await reader.GetDeviceConfigsAsync("t", ["d1"]))["d1"].Observed));
    }

    private static ProjectionWork Work(long version, DeviceConfigRow config) =>
        new("t", [], Device: new DeviceRow("d1", "r", "c1", "r1", "v", "m", "o", "192.0.2.1", "core", "ACTIVE", Now, Now, version, [], null, config));

    private static DeviceConfig Config(string hostname, params string[] prefixes) =>
        new(hostname, "", "", [], [], [], [.. prefixes.Select(p => new StaticRoute(p, "192.0.2.254"))]);
}
