using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.Security;

namespace Pdsno.IntegrationTests.Security;

/// <summary>Silos that start together on an empty database agree on the keys they generate.</summary>
[Collection(PostgresGroup.Name)]
public sealed class SecurityKeyTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_silo_that_creates_the_token_key_while_another_commits_its_own_uses_the_other_ones()
    {
        var db = await MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(db);

        // The other silo has inserted its key and not committed yet when this one asks.
        var other = RandomNumberGenerator.GetBytes(32);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO security_keys (name, key_bytes) VALUES ('token-hmac', $1)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = other });
            await insert.ExecuteNonQueryAsync();
        }

        var keyring = new TokenKeyring(dataSource, null, NullLogger<TokenKeyring>.Instance);
        var digest = keyring.DigestAsync("id", "secret").AsTask();
        var q = new ReadModelQueries(db);
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            n => n > 0, TimeSpan.FromSeconds(30), "the keyring waiting for the other silo's insert");
        await transaction.CommitAsync();

        Assert.Equal(HMACSHA256.HashData(other, Encoding.UTF8.GetBytes("id:secret")), await digest);
    }

    [Fact]
    public async Task Concurrent_creators_on_an_empty_database_all_get_the_same_key()
    {
        var db = await MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(db);
        var creators = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => SecurityKeys.GetOrCreateAsync(dataSource, "test-key", () => RandomNumberGenerator.GetBytes(32))));
        var keys = await Task.WhenAll(creators);
        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }

    private async Task<string> MigratedDatabaseAsync()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        return db;
    }
}
