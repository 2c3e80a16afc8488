using Npgsql;
using Pdsno.Discovery.Config;

namespace Pdsno.Storage.Config;

/// <summary>Pinned SSH host keys in PostgreSQL (table <c>ssh_host_keys</c>): the first writer wins, atomically.</summary>
public sealed class PostgresSshHostKeyStore(NpgsqlDataSource dataSource) : ISshHostKeyStore
{
    /// <inheritdoc />
    public async Task<string?> FindAsync(string tenant, string device, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT fingerprint FROM ssh_host_keys WHERE tenant = $1 AND device = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = device });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <inheritdoc />
    public async Task<string> PinAsync(string tenant, string device, string address, string fingerprint, CancellationToken cancellationToken)
    {
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO ssh_host_keys (tenant, device, address, fingerprint) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, device) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = tenant });
            insert.Parameters.Add(new NpgsqlParameter { Value = device });
            insert.Parameters.Add(new NpgsqlParameter { Value = address });
            insert.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return fingerprint;
            }
        }

        // Another writer was first; its row is committed (ON CONFLICT waited for it), so a new statement sees it.
        return await FindAsync(tenant, device, cancellationToken)
            ?? throw new InvalidOperationException($"ssh_host_keys: the row of {tenant}/{device} vanished while pinning");
    }
}
