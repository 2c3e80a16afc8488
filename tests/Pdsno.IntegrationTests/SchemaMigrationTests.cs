using Microsoft.Extensions.Logging.Abstractions;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Migrations;

namespace Pdsno.IntegrationTests;

[Collection(PostgresGroup.Name)]
public sealed class SchemaMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_changes_nothing()
    {
        var db = await postgres.CreateDatabaseAsync();
        var migrator = new SchemaMigrator(NullLogger<SchemaMigrator>.Instance);
        var first = await migrator.MigrateAsync(db, CancellationToken.None);
        var second = await migrator.MigrateAsync(db, CancellationToken.None);
        Assert.Equal(SchemaMigrator.Scripts.Select(s => s.Name), first);
        Assert.Empty(second);

        var q = new ReadModelQueries(db);
        Assert.Equal(first.Count, await q.ScalarAsync("SELECT count(*) FROM pdsno_schema_version"));
        foreach (var key in new[] { "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "InsertMembershipKey", "UpsertReminderRowKey", "CleanupDefunctSiloEntriesKey" })
        {
            Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM orleansquery WHERE querykey = $1", key));
        }
    }

    [Fact]
    public async Task Concurrent_migrators_do_not_trip_over_each_other()
    {
        var db = await postgres.CreateDatabaseAsync();
        var runs = Enumerable.Range(0, 3).Select(_ => new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None)).ToList();
        var results = await Task.WhenAll(runs);
        Assert.Equal(SchemaMigrator.Scripts.Count, results.Sum(r => r.Count));
    }
}
