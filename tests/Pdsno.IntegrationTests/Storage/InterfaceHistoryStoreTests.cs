using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.Grains.History;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.ReadModel;
using Pdsno.Storage.Telemetry;

namespace Pdsno.IntegrationTests.Storage;

/// <summary>History is replaced range by range, read back in buckets per tenant, and dropped a day at a time.</summary>
[Collection(PostgresGroup.Name)]
public sealed class InterfaceHistoryStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Day = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_replaced_range_reads_back_in_buckets_for_its_tenant_only_and_retention_drops_whole_days()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        await using var source = NpgsqlDataSource.Create(db);
        var store = new InterfaceHistoryStore(source, new SqlStatementCounter());
        var eth0 = new HistoryInterface("d1", "eth0", "region-1", 1_000, null);
        var step = TimeSpan.FromMinutes(5);

        // Three days at 5 minutes, the rate counting up, then the middle hour of the first day written again.
        Assert.Equal(3 * 288, await store.ReplaceAsync("t1", [eth0], Day, step, 3 * 288, (_, k) => new HistorySample(k, 2 * k), CancellationToken.None));
        Assert.Equal(12, await store.ReplaceAsync("t1", [eth0], Day.AddHours(12), step, 12, (_, _) => new HistorySample(500, 500), CancellationToken.None));
        await store.ReplaceAsync("t2", [eth0], Day, step, 12, (_, _) => new HistorySample(9, 9), CancellationToken.None);

        var hours = (await store.ReadAsync("t1", [("d1", "eth0")], Day, Day.AddDays(1), TimeSpan.FromHours(1), CancellationToken.None))[("d1", "eth0")];
        Assert.Equal(24, hours.Count);
        Assert.Equal((Day, 5.5, 11.0, 11.0, 22.0, 1_000L), (hours[0].At, hours[0].InBps, hours[0].OutBps, hours[0].InMaxBps, hours[0].OutMaxBps, hours[0].SpeedBps));
        Assert.Equal((500.0, 500.0), (hours[12].InBps, hours[12].OutMaxBps));
        Assert.Equal(12 * 13 + 5.5, hours[13].InBps);
        Assert.Equal(9.0, (await store.ReadAsync("t2", [("d1", "eth0")], Day, Day.AddDays(3), TimeSpan.FromDays(1), CancellationToken.None))[("d1", "eth0")].Single().InBps);
        Assert.Empty(await store.ReadAsync("t1", [("d1", "eth9")], Day, Day.AddDays(3), TimeSpan.FromDays(1), CancellationToken.None));

        // Dropping the minutes leaves the hourly rollup, which answers for the days the minutes no longer cover.
        var days = (await store.ReadAsync("t1", [("d1", "eth0")], Day, Day.AddDays(3), TimeSpan.FromDays(1), CancellationToken.None))[("d1", "eth0")];
        Assert.Equal(2, await store.DropBeforeAsync(HistoryTable.Minutes, DateOnly.FromDateTime(Day.AddDays(2).UtcDateTime), CancellationToken.None));
        var rolled = (await store.ReadAsync("t1", [("d1", "eth0")], Day, Day.AddDays(3), TimeSpan.FromDays(1), CancellationToken.None))[("d1", "eth0")];
        Assert.Equal(days.Select(d => (d.At, Math.Round(d.InBps, 6), d.InMaxBps, d.OutMaxBps)), rolled.Select(d => (d.At, Math.Round(d.InBps, 6), d.InMaxBps, d.OutMaxBps)));
        Assert.Equal([86_400, 86_400, 86_400], rolled.Select(d => d.CoverSeconds));
        var hourly = (await store.ReadAsync("t1", [("d1", "eth0")], Day, Day.AddDays(1), TimeSpan.FromMinutes(15), CancellationToken.None))[("d1", "eth0")];
        Assert.Equal(24, hourly.Count);
        Assert.All(hourly, h => Assert.Equal(3600, h.CoverSeconds));

        Assert.Equal(2, await store.DropBeforeAsync(HistoryTable.Hours, DateOnly.FromDateTime(Day.AddDays(2).UtcDateTime), CancellationToken.None));
        var left = (await store.ReadAsync("t1", [("d1", "eth0")], Day, Day.AddDays(3), TimeSpan.FromDays(1), CancellationToken.None))[("d1", "eth0")];
        Assert.Equal([Day.AddDays(2)], left.Select(p => p.At));
        Assert.Equal(0, await store.DropBeforeAsync(HistoryTable.Minutes, DateOnly.FromDateTime(Day.AddDays(2).UtcDateTime), CancellationToken.None));
    }

    [Fact]
    public async Task Live_minutes_of_many_tenants_go_in_one_batch_keep_their_first_row_roll_up_into_hours_and_trim_per_tenant()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        await using var source = NpgsqlDataSource.Create(db);
        var counter = new SqlStatementCounter();
        var store = new InterfaceHistoryStore(source, counter);
        var minutes = Enumerable.Range(0, 120).SelectMany(m => new[]
        {
            ("t1", new HistoryMinute("d1", "eth0", Day.AddMinutes(m), 100 + m, 10, 200 + m, 20, 1_000)),
            ("t2", new HistoryMinute("d1", "eth0", Day.AddMinutes(m), 1, 1, 1, 1, 1_000)),
        }).ToList();

        var before = counter.Count;
        Assert.Equal(240, await store.AppendAsync(minutes, CancellationToken.None));
        Assert.True(counter.Count - before <= 2, $"{counter.Count - before} statements for one batch");
        Assert.Equal(0, await store.AppendAsync([("t1", new HistoryMinute("d1", "eth0", Day, 999, 999, 999, 999, 1_000))], CancellationToken.None));

        var minute = (await store.ReadAsync("t1", [("d1", "eth0")], Day, Day.AddMinutes(2), TimeSpan.FromMinutes(1), CancellationToken.None))[("d1", "eth0")];
        Assert.Equal([(100.0, 200.0), (101.0, 201.0)], minute.Select(p => (p.InBps, p.InMaxBps)));

        Assert.Equal(4, await store.RollupAsync(Day, Day.AddHours(2), CancellationToken.None));
        Assert.Equal(2, await store.DeleteBeforeAsync("t1", HistoryTable.Minutes, DateOnly.FromDateTime(Day.AddDays(1).UtcDateTime), CancellationToken.None) / 60);
        var hours = (await store.ReadAsync("t1", [("d1", "eth0")], Day, Day.AddHours(2), TimeSpan.FromHours(1), CancellationToken.None))[("d1", "eth0")];
        Assert.Equal([(129.5, 259.0), (189.5, 319.0)], hours.Select(p => (p.InBps, p.InMaxBps)));
        Assert.Equal(120, (await store.ReadAsync("t2", [("d1", "eth0")], Day, Day.AddHours(2), TimeSpan.FromMinutes(1), CancellationToken.None))[("d1", "eth0")].Count);
    }
}
