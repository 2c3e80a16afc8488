using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.Abstractions.Security;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Audit;
using Pdsno.Storage.Migrations;

namespace Pdsno.IntegrationTests.Audit;

/// <summary>Two writers (as two silos have) appending to one tenant's chain: no gap, no fork, every record kept.</summary>
[Collection(PostgresGroup.Name)]
public sealed class AuditChainWriterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Writers_that_each_remember_their_last_head_still_chain_every_record_once_when_they_interleave()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        await using var source = NpgsqlDataSource.Create(db);
        var one = new AuditChainWriter(source, TimeProvider.System);
        var two = new AuditChainWriter(source, TimeProvider.System);

        // Each writer learns the head, then the other moves it: the next append of each collides once and goes on.
        await one.AppendAsync([Draft("one", 0)]);
        await two.AppendAsync([Draft("two", 0)]);
        await one.AppendAsync([Draft("one", 1)]);
        await two.AppendAsync([Draft("two", 1)]);

        // Then both at once, many times over, with records of another tenant in between.
        var appends = Enumerable.Range(2, 60).SelectMany(i => new[]
        {
            one.AppendAsync([Draft("one", i)]),
            two.AppendAsync([Draft("two", i), Draft("two", i, tenant: "other")]),
        });
        await Task.WhenAll(appends);

        var verified = await new AuditChainReader(source).VerifyAsync(null);
        Assert.True(verified.Ok, verified.FirstBroken?.Reason);
        Assert.Equal(124 + 60, verified.Checked);

        await using var read = source.CreateCommand("SELECT actor, count(*) FROM audit_log WHERE tenant = 't' GROUP BY actor ORDER BY actor");
        await using var reader = await read.ExecuteReaderAsync();
        var counts = new List<(string, long)>();
        while (await reader.ReadAsync())
        {
            counts.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        Assert.Equal([("one", 62L), ("two", 62L)], counts);
    }

    private static AuditRecordDraft Draft(string writer, int n, string tenant = "t") => new(tenant, writer, "op", $"n={n}", "ok");
}
