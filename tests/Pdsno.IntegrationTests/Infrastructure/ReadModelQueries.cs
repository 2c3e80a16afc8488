using Npgsql;

namespace Pdsno.IntegrationTests.Infrastructure;

/// <summary>What the tests read back from the read model and event log.</summary>
internal sealed class ReadModelQueries(string database)
{
    // Unpooled: the outage test restarts the server, which breaks pooled connections.
    private readonly string _connectionString = new Npgsql.NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString;

    public async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? 0 : Convert.ToInt64(result);
    }

    public async Task<string?> TextAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        return (await cmd.ExecuteScalarAsync()) as string;
    }

    public async Task<List<(long Seq, string Type, string? Old, string? New)>> EventsAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var list = new List<(long, string, string?, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return list;
    }

    /// <summary>
    /// A fingerprint that changes with any write to PDSNO state: every stored row carries a version that a
    /// write increases (pg_stat counters are not used: backends report them up to a minute late).
    /// </summary>
    public async Task<string> StateFingerprintAsync() => (await TextAsync(
        """
        SELECT concat_ws('/',
            (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM orleansstorage),
            (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM grain_state),
            (SELECT count(*) || ':' || coalesce(sum(state_version), 0) FROM devices),
            (SELECT count(*) || ':' || coalesce(sum(state_version), 0) FROM interfaces),
            (SELECT count(*) || ':' || coalesce(sum(state_version), 0) FROM links),
            (SELECT count(*) || ':' || coalesce(sum(state_version), 0) FROM regions),
            (SELECT coalesce(max(seq), 0) FROM events),
            (SELECT coalesce(sum(last_seq), 0) FROM tenant_event_sequence))
        """))!;
}
