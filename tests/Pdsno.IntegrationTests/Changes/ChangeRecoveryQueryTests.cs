using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.ReadModel;

namespace Pdsno.IntegrationTests.Changes;

/// <summary>What the recovery sweep reads: changes left executing or rolling back, and locks held by any other change.</summary>
[Collection(PostgresGroup.Name)]
public sealed class ChangeRecoveryQueryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_sweep_finds_unfinished_changes_and_locks_their_change_does_not_explain_in_every_tenant()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        var q = new ReadModelQueries(db);
        foreach (var (tenant, change, status) in new[]
        {
            ("a", "ch-executing", "EXECUTING"), ("b", "ch-rolling", "ROLLING_BACK"), ("a", "ch-applied", "APPLIED"), ("a", "ch-approved", "APPROVED"),
        })
        {
            await q.ScalarAsync(
                """
                WITH i AS (INSERT INTO changes (tenant, change, title, status, sensitivity, emergency, acknowledged, proposer, regions, devices, created_at, updated_at, state_version, document)
                VALUES ($1, $2, 't', $3, 'LOW', false, false, 'p', '{r}', '{}', now(), now(), 1, '{}') RETURNING 1) SELECT count(*) FROM i
                """, tenant, change, status);
        }

        foreach (var (tenant, device, lockedBy) in new[]
        {
            ("a", "d-free", (string?)null), ("a", "d-executing", "ch-executing"), ("a", "d-approved", "ch-approved"), ("b", "d-unknown", "ch-never-stored"),
        })
        {
            await q.ScalarAsync(
                """
                WITH i AS (INSERT INTO devices (tenant, device, region, chassis_id, name, vendor, model, os_version, management_address, role, status, status_since, first_seen, state_version, locked_by)
                VALUES ($1, $2, 'r', 'c', $2, 'v', 'm', 'o', '192.0.2.1', 'access', 'ACTIVE', now(), now(), 1, $3) RETURNING 1) SELECT count(*) FROM i
                """, tenant, device, (object?)lockedBy ?? DBNull.Value);
        }

        await using var source = NpgsqlDataSource.Create(db);
        var found = await new TopologyReader(source, new SqlStatementCounter()).FindChangesToResumeAsync(100);

        Assert.Equal(
            [("a", "ch-approved", "d-approved"), ("a", "ch-executing", null), ("b", "ch-never-stored", "d-unknown"), ("b", "ch-rolling", null)],
            found.Select(f => (f.Tenant, f.Change, f.LockedDevice)).OrderBy(f => f.Tenant, StringComparer.Ordinal).ThenBy(f => f.Change, StringComparer.Ordinal));
        Assert.Single(await new TopologyReader(source, new SqlStatementCounter()).FindChangesToResumeAsync(1));
    }
}
