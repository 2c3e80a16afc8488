using Npgsql;
using NpgsqlTypes;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Security;

namespace Pdsno.Storage.Security;

/// <summary>Tenants and API tokens in PostgreSQL. Secrets never reach this class: only their digests.</summary>
public sealed class ApiTokenStore(NpgsqlDataSource dataSource) : IApiTokenStore
{
    private const string Columns = "token_id, tenant, name, roles, regions, created_at, created_by, expires_at, revoked_at, last_used_at, digest";

    /// <inheritdoc />
    public async Task<StoredToken?> LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_tokens WHERE token_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredToken(ReadInfo(reader), (byte[])reader[10]) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_tokens WHERE tenant = $1 ORDER BY created_at, token_id");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<ApiTokenInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(ReadInfo(reader));
        }

        return tokens;
    }

    /// <inheritdoc />
    public async Task<bool> InsertAsync(ApiTokenInfo info, byte[] digest, bool bootstrap = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO api_tokens (token_id, tenant, name, digest, roles, regions, created_at, created_by, expires_at, bootstrap)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (tenant) WHERE bootstrap AND revoked_at IS NULL DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = info.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = info.Tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = info.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = digest });
        command.Parameters.Add(new NpgsqlParameter { Value = RoleNames.Names(info.Roles).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = info.Regions.IsDefaultOrEmpty ? DBNull.Value : info.Regions.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = info.CreatedAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = info.CreatedBy });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = info.ExpiresAt is { } e ? e.UtcDateTime : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = bootstrap });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task<ApiTokenInfo?> RevokeAsync(string id, string tenant, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3), revoked_by = coalesce(revoked_by, $4)
            WHERE token_id = $1 AND tenant = $2
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = actor });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadInfo(reader) : null;
    }

    /// <inheritdoc />
    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_tokens SET last_used_at = $2 WHERE token_id = $1 AND (last_used_at IS NULL OR last_used_at < $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> HasActiveAdminAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT EXISTS (SELECT 1 FROM api_tokens WHERE tenant = $1 AND 'admin' = ANY (roles) AND regions IS NULL
                           AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<bool> TenantExistsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM tenants WHERE tenant = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<bool> CreateTenantAsync(string tenant, string displayName, string actor, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO tenants (tenant, display_name, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = displayName });
        command.Parameters.Add(new NpgsqlParameter { Value = actor });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task DeleteTenantAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM tenants WHERE tenant = $1 AND NOT EXISTS (SELECT 1 FROM api_tokens WHERE tenant = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ApiTokenInfo ReadInfo(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        RoleNames.Parse((string[])reader[3]),
        reader.IsDBNull(4) ? [] : [.. (string[])reader[4]],
        new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero),
        reader.IsDBNull(8) ? null : new DateTimeOffset(reader.GetDateTime(8), TimeSpan.Zero),
        reader.IsDBNull(9) ? null : new DateTimeOffset(reader.GetDateTime(9), TimeSpan.Zero));
}
