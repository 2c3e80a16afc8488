using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Pdsno.Storage.Migrations;

/// <summary>
/// Applies the SQL scripts shipped in this assembly (sql/orleans then sql/pdsno, in name order), each once,
/// each in its own transaction, recorded in <c>pdsno_schema_version</c>. Silos starting together serialize
/// on a session advisory lock (released when the connection closes), so the first applies and the others
/// find the work done.
/// </summary>
public sealed class SchemaMigrator(ILogger<SchemaMigrator> logger)
{
    private const long LockKey = 0x5044534E4F; // "PDSNO"

    /// <summary>The scripts in the order they are applied.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>Applies every script not yet applied; returns the names of those it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var applied = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockSession = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", connection))
        {
            lockSession.Parameters.AddWithValue("k", LockKey);
            await lockSession.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await ApplyAsync(connection, applied, cancellationToken);
        }
        finally
        {
            // Pooled connections keep their session: release the lock explicitly.
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection);
            unlock.Parameters.AddWithValue("k", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }

        return applied;
    }

    private async Task ApplyAsync(NpgsqlConnection connection, List<string> applied, CancellationToken cancellationToken)
    {
        // Created only when missing: a silo's own role may read the schema without the right to create in it.
        await using (var create = new NpgsqlCommand(
            """
            DO $$ BEGIN
                IF to_regclass('pdsno_schema_version') IS NULL THEN
                    CREATE TABLE pdsno_schema_version (
                        script      text PRIMARY KEY,
                        checksum    text NOT NULL,
                        applied_at  timestamptz NOT NULL DEFAULT now());
                END IF;
            END $$
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (name, sql) in Scripts)
        {
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);

            string? existing;
            await using (var check = new NpgsqlCommand("SELECT checksum FROM pdsno_schema_version WHERE script = @s", connection, tx))
            {
                check.Parameters.AddWithValue("s", name);
                existing = (string?)await check.ExecuteScalarAsync(cancellationToken);
            }

            if (existing is not null)
            {
                if (existing != checksum)
                {
                    logger.LogWarning("Schema script {Script} differs from the version applied earlier; scripts are append-only, add a new one instead", name);
                }

                await tx.CommitAsync(cancellationToken);
                continue;
            }

            await using (var apply = new NpgsqlCommand(sql, connection, tx))
            {
                apply.CommandTimeout = 300;
                try
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    throw new InvalidOperationException(
                        $"Schema script {name} needs the schema's owner, and this role may not apply it ({ex.MessageText}): apply the schema with 'Pdsno.Silo migrate' and ConnectionStrings__PdsnoOwner, or start once with the owner's connection string",
                        ex);
                }
                catch (PostgresException ex)
                {
                    throw new InvalidOperationException($"Schema script {name} failed: {ex.MessageText} (SQLSTATE {ex.SqlState}, line {ex.Line})", ex);
                }
            }

            await using (var record = new NpgsqlCommand("INSERT INTO pdsno_schema_version (script, checksum) VALUES (@s, @c)", connection, tx))
            {
                record.Parameters.AddWithValue("s", name);
                record.Parameters.AddWithValue("c", checksum);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
            logger.LogInformation("Applied schema script {Script}", name);
            applied.Add(name);
        }
    }

    private static List<(string, string)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .OrderBy(n => n.StartsWith("sql/orleans/", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
        return names.Select(n => (n["sql/".Length..], Read(assembly, n))).ToList();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing resource {name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
