using Npgsql;

namespace Pdsno.Storage.Security;

/// <summary>
/// Secrets the cluster generates once and every silo shares (the token key, the cluster certificate), kept in
/// <c>security_keys</c>. Creation is atomic: whichever silo inserts first wins, and every silo reads the winner.
/// </summary>
public static class SecurityKeys
{
    /// <summary>Returns the stored value of <paramref name="name"/>, storing <paramref name="create"/>'s value first when there is none.</summary>
    public static async Task<byte[]> GetOrCreateAsync(NpgsqlDataSource dataSource, string name, Func<byte[]> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(create);
        if (await ReadAsync(dataSource, name, cancellationToken) is { } existing)
        {
            return existing;
        }

        // Two statements, not one: a concurrent creator's row becomes visible only to a statement that starts after
        // its commit. The insert waits for that commit and does nothing; the read that follows sees the winner.
        await using (var insert = dataSource.CreateCommand("INSERT INTO security_keys (name, key_bytes) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = name });
            insert.Parameters.Add(new NpgsqlParameter { Value = create() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return await ReadAsync(dataSource, name, cancellationToken)
            ?? throw new InvalidOperationException($"security key '{name}' was created but cannot be read back");
    }

    private static async Task<byte[]?> ReadAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("SELECT key_bytes FROM security_keys WHERE name = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = name });
        return await select.ExecuteScalarAsync(cancellationToken) as byte[];
    }
}
