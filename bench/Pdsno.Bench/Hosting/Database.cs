using Npgsql;

namespace Pdsno.Bench.Hosting;

/// <summary>Read-model counts and write counters of a bench database.</summary>
internal sealed class Database(string connectionString)
{
    private static readonly string[] AppTables = ["devices", "interfaces", "links", "regions", "events", "tenant_event_sequence", "grain_state"];

    public async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? 0 : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<(long Devices, long Links, long Events, long Interfaces)> CountsAsync(string tenant)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM devices WHERE tenant = $1),
                   (SELECT count(*) FROM links WHERE tenant = $1),
                   (SELECT count(*) FROM events WHERE tenant = $1),
                   (SELECT count(*) FROM interfaces WHERE tenant = $1)
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Rows inserted, updated or deleted per table since the server started (as far as backends have reported them).</summary>
    public async Task<Dictionary<string, long>> TableWritesAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables", connection);
        var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>Write deltas between two snapshots: PDSNO state (app tables, grain_state and OrleansStorage), and the rest, with per-table detail.</summary>
    public static (long State, long Other, string Detail) Delta(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        long state = 0, other = 0;
        var detail = new List<string>();
        foreach (var (table, now) in after.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var d = now - before.GetValueOrDefault(table);
            if (d == 0)
            {
                continue;
            }

            detail.Add($"{table}={d}");
            if (AppTables.Contains(table, StringComparer.OrdinalIgnoreCase) || table.Equals("orleansstorage", StringComparison.OrdinalIgnoreCase))
            {
                state += d;
            }
            else
            {
                other += d;
            }
        }

        return (state, other, detail.Count == 0 ? "none" : string.Join(' ', detail));
    }
}
