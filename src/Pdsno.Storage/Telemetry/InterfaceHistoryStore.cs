using Npgsql;
using NpgsqlTypes;
using Pdsno.Grains.History;
using Pdsno.Storage.ReadModel;

namespace Pdsno.Storage.Telemetry;

/// <summary>
/// The durable rate history of interfaces: 1-minute rows (<c>interface_samples</c>) and their hourly rollup
/// (<c>interface_samples_hourly</c>), each one partition per UTC day. Written in batches (live minutes in one
/// statement per batch, backfills with binary COPY), read back in time buckets for many interfaces in one statement
/// (from the hourly rollup where the minutes are gone), and trimmed by dropping whole days.
/// </summary>
public sealed class InterfaceHistoryStore(NpgsqlDataSource dataSource, SqlStatementCounter counter)
{
    // Rows of any step roll up weighted by their step, so backfilled 5-minute rows and live minutes mix honestly.
    private const string Rollup = """
        INSERT INTO interface_samples_hourly (tenant, device, interface, at, in_bps, out_bps, in_max_bps, out_max_bps, speed_bps)
        SELECT tenant, device, interface, date_trunc('hour', at) AS h,
               sum(in_bps * step_s) / sum(step_s), sum(out_bps * step_s) / sum(step_s),
               max(coalesce(in_max_bps, in_bps)), max(coalesce(out_max_bps, out_bps)), max(speed_bps)
          FROM interface_samples
         WHERE at >= @from AND at < @to /* keys */
         GROUP BY tenant, device, interface, h
        ON CONFLICT (tenant, device, interface, at) DO UPDATE
           SET in_bps = excluded.in_bps, out_bps = excluded.out_bps, in_max_bps = excluded.in_max_bps,
               out_max_bps = excluded.out_max_bps, speed_bps = excluded.speed_bps
        """;

    private const string OfKeys = "AND tenant = @tenant AND (device, interface) IN (SELECT * FROM unnest(@devices::text[], @interfaces::text[]))";

    /// <summary>The interfaces of the tenant's devices in <paramref name="regions"/> (every region when null), by device and name, with the far end of their link.</summary>
    public async Task<IReadOnlyList<HistoryInterface>> ListInterfacesAsync(string tenant, IReadOnlyCollection<string>? regions, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        counter.Increment();
        await using var command = dataSource.CreateCommand(
            """
            SELECT i.device, i.name, d.region, i.speed_bps,
                   (SELECT CASE WHEN l.device_a = i.device AND l.interface_a = i.name THEN l.device_b || ':' || l.interface_b
                                ELSE l.device_a || ':' || l.interface_a END
                      FROM links l
                     WHERE l.tenant = i.tenant
                       AND ((l.device_a = i.device AND l.interface_a = i.name) OR (l.device_b = i.device AND l.interface_b = i.name))
                     LIMIT 1)
              FROM interfaces i JOIN devices d ON d.tenant = i.tenant AND d.device = i.device
             WHERE i.tenant = @tenant AND (@regions::text[] IS NULL OR d.region = ANY(@regions))
             ORDER BY i.device, i.name
            """);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.Add(new NpgsqlParameter("regions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = regions is null ? DBNull.Value : regions.ToArray() });
        var rows = new List<HistoryInterface>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new HistoryInterface(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return rows;
    }

    /// <summary>
    /// Replaces the history of <paramref name="interfaces"/> in [<paramref name="from"/>, from + count × step) with
    /// the samples <paramref name="sample"/> gives (interface, sample index), in one transaction: the old rows of the
    /// range go, the new ones arrive through one binary COPY and are rolled up into hours. Returns the rows written.
    /// </summary>
    public async Task<long> ReplaceAsync(
        string tenant, IReadOnlyList<HistoryInterface> interfaces, DateTimeOffset from, TimeSpan step, int count, Func<HistoryInterface, int, HistorySample> sample, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(sample);
        var to = from + (step * count);
        var (hoursFrom, hoursTo) = (Hour(from), Hour(to + TimeSpan.FromHours(1) - TimeSpan.FromTicks(1)));
        var keys = interfaces.Select(i => (i.Device, i.Interface)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await EnsurePartitionsAsync(connection, tx, HistoryTable.Minutes, from, to, ct);
        await EnsurePartitionsAsync(connection, tx, HistoryTable.Hours, hoursFrom, hoursTo, ct);

        await ForKeysAsync(connection, tx, $"DELETE FROM interface_samples WHERE at >= @from AND at < @to {OfKeys}", tenant, keys, from, to, ct);

        counter.Increment();
        long written = 0;
        var stepSeconds = (int)step.TotalSeconds;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY interface_samples (tenant, device, interface, at, step_s, in_bps, out_bps, speed_bps) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var item in interfaces)
            {
                for (var i = 0; i < count; i++)
                {
                    var s = sample(item, i);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(tenant, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(item.Device, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(item.Interface, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync((from + (step * i)).UtcDateTime, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(stepSeconds, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(s.InBps, NpgsqlDbType.Double, ct);
                    await copy.WriteAsync(s.OutBps, NpgsqlDbType.Double, ct);
                    await copy.WriteAsync(item.SpeedBps, NpgsqlDbType.Bigint, ct);
                    written++;
                }
            }

            await copy.CompleteAsync(ct);
        }

        await ForKeysAsync(connection, tx, Rollup.Replace("/* keys */", OfKeys, StringComparison.Ordinal), tenant, keys, hoursFrom, hoursTo, ct);

        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>
    /// Appends finished minutes of many tenants' interfaces in one statement (after making their days' partitions); a
    /// minute already stored (a device that moved silos mid-minute) keeps its first row. Returns the rows added.
    /// </summary>
    public async Task<int> AppendAsync(IReadOnlyList<(string Tenant, HistoryMinute Minute)> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await EnsurePartitionsAsync(connection, tx, HistoryTable.Minutes, rows.Min(r => r.Minute.At), rows.Max(r => r.Minute.At), ct);
        counter.Increment();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO interface_samples (tenant, device, interface, at, step_s, in_bps, out_bps, in_max_bps, out_max_bps, speed_bps)
            SELECT t, d, i, a, 60, ib, ob, im, om, s
              FROM unnest(@tenants::text[], @devices::text[], @interfaces::text[], @ats::timestamptz[],
                          @ins::float8[], @outs::float8[], @inMaxes::float8[], @outMaxes::float8[], @speeds::bigint[]) AS r(t, d, i, a, ib, ob, im, om, s)
            ON CONFLICT (tenant, device, interface, at) DO NOTHING
            """,
            connection,
            tx);
        insert.Parameters.AddWithValue("tenants", rows.Select(r => r.Tenant).ToArray());
        insert.Parameters.AddWithValue("devices", rows.Select(r => r.Minute.Device).ToArray());
        insert.Parameters.AddWithValue("interfaces", rows.Select(r => r.Minute.Interface).ToArray());
        insert.Parameters.AddWithValue("ats", rows.Select(r => r.Minute.At.UtcDateTime).ToArray());
        insert.Parameters.AddWithValue("ins", rows.Select(r => r.Minute.InBps).ToArray());
        insert.Parameters.AddWithValue("outs", rows.Select(r => r.Minute.OutBps).ToArray());
        insert.Parameters.AddWithValue("inMaxes", rows.Select(r => r.Minute.InMaxBps).ToArray());
        insert.Parameters.AddWithValue("outMaxes", rows.Select(r => r.Minute.OutMaxBps).ToArray());
        insert.Parameters.AddWithValue("speeds", rows.Select(r => r.Minute.SpeedBps).ToArray());
        insert.CommandTimeout = 120;
        var added = await insert.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return added;
    }

    /// <summary>Rolls every tenant's minutes of the hours [<paramref name="from"/>, <paramref name="to"/>) up into the hourly table (again, where done before); returns the hours written.</summary>
    public async Task<int> RollupAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        (from, to) = (Hour(from), Hour(to));
        if (from >= to)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await EnsurePartitionsAsync(connection, tx, HistoryTable.Hours, from, to - TimeSpan.FromTicks(1), ct);
        counter.Increment();
        await using var rollup = new NpgsqlCommand(Rollup, connection, tx);
        rollup.Parameters.AddWithValue("from", from.UtcDateTime);
        rollup.Parameters.AddWithValue("to", to.UtcDateTime);
        rollup.CommandTimeout = 300;
        var written = await rollup.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>The tenant's links (every status) with their region and A end, whose history speaks for both directions.</summary>
    public Task<IReadOnlyList<HistoryLink>> ListLinksAsync(string tenant, CancellationToken ct) => ReadSeriesAsync(Links, tenant, ct);

    /// <summary>
    /// In one read, the tenant's links (as <see cref="ListLinksAsync"/>) and then its interfaces that are the end of no
    /// link, as lone series (<see cref="HistoryLink.IsLink"/> false).
    /// </summary>
    public Task<IReadOnlyList<HistoryLink>> ListSeriesAsync(string tenant, CancellationToken ct) => ReadSeriesAsync(
        """
        SELECT * FROM (
            SELECT link, region, device_a, interface_a FROM links WHERE tenant = @tenant
            UNION ALL
            SELECT '', d.region, i.device, i.name
              FROM interfaces i JOIN devices d ON d.tenant = i.tenant AND d.device = i.device
             WHERE i.tenant = @tenant
               AND NOT EXISTS (SELECT 1 FROM links l
                                WHERE l.tenant = i.tenant
                                  AND ((l.device_a = i.device AND l.interface_a = i.name) OR (l.device_b = i.device AND l.interface_b = i.name)))) series
        ORDER BY link = '', link, device_a, interface_a
        """,
        tenant,
        ct);

    private const string Links = "SELECT link, region, device_a, interface_a FROM links WHERE tenant = @tenant ORDER BY link";

    private async Task<IReadOnlyList<HistoryLink>> ReadSeriesAsync(string sql, string tenant, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        counter.Increment();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", tenant);
        var series = new List<HistoryLink>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            series.Add(new HistoryLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return series;
    }

    /// <summary>The tenants that may have history: those created and those whose regions are in the read model.</summary>
    public async Task<IReadOnlyList<string>> ListTenantsAsync(CancellationToken ct)
    {
        counter.Increment();
        await using var command = dataSource.CreateCommand("SELECT tenant FROM tenants UNION SELECT tenant FROM regions ORDER BY 1");
        var tenants = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tenants.Add(reader.GetString(0));
        }

        return tenants;
    }

    /// <summary>
    /// The history of each (device, interface) in [<paramref name="since"/>, <paramref name="until"/>) in buckets of
    /// <paramref name="bucket"/> (aligned to the Unix epoch), oldest first, in one statement: from the minutes where
    /// the interface still has them, before that from the hourly rollup (whole hours that end before its first minute).
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Device, string Interface), IReadOnlyList<HistoryPoint>>> ReadAsync(
        string tenant, IReadOnlyCollection<(string Device, string Interface)> keys, DateTimeOffset since, DateTimeOffset until, TimeSpan bucket, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(keys);
        var result = new Dictionary<(string, string), IReadOnlyList<HistoryPoint>>();
        if (keys.Count == 0)
        {
            return result;
        }

        counter.Increment();
        await using var command = dataSource.CreateCommand(
            """
            WITH k AS (
                SELECT k.device, k.interface,
                       coalesce((SELECT min(m.at) FROM interface_samples m
                                  WHERE m.tenant = @tenant AND m.device = k.device AND m.interface = k.interface
                                    AND m.at >= @since AND m.at < @until), @until) AS split
                  FROM unnest(@devices::text[], @interfaces::text[]) AS k(device, interface)),
            r AS (
                SELECT m.device, m.interface, m.at, m.step_s, m.in_bps, m.out_bps,
                       coalesce(m.in_max_bps, m.in_bps) AS in_max, coalesce(m.out_max_bps, m.out_bps) AS out_max, m.speed_bps
                  FROM interface_samples m JOIN k ON k.device = m.device AND k.interface = m.interface
                 WHERE m.tenant = @tenant AND m.at >= @since AND m.at < @until AND m.at >= k.split
                UNION ALL
                SELECT h.device, h.interface, h.at, 3600, h.in_bps, h.out_bps, h.in_max_bps, h.out_max_bps, h.speed_bps
                  FROM interface_samples_hourly h JOIN k ON k.device = h.device AND k.interface = h.interface
                 WHERE h.tenant = @tenant AND h.at >= @since AND h.at < @until AND h.at + INTERVAL '1 hour' <= k.split)
            SELECT device, interface, date_bin(@bucket, at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b,
                   sum(in_bps * step_s) / sum(step_s), sum(out_bps * step_s) / sum(step_s), max(in_max), max(out_max), max(speed_bps), max(step_s)
              FROM r
             GROUP BY device, interface, b
             ORDER BY device, interface, b
            """);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("bucket", bucket);
        command.Parameters.AddWithValue("since", since.UtcDateTime);
        command.Parameters.AddWithValue("until", until.UtcDateTime);
        AddKeys(command, keys);
        command.CommandTimeout = 60;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (!result.TryGetValue(key, out var points))
            {
                result[key] = points = new List<HistoryPoint>();
            }

            ((List<HistoryPoint>)points).Add(new HistoryPoint(
                new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetInt64(7),
                Math.Max(reader.GetInt32(8), (int)bucket.TotalSeconds)));
        }

        return result;
    }

    /// <summary>Drops the days of <paramref name="table"/> wholly before <paramref name="before"/>, for every tenant; returns how many days went.</summary>
    public async Task<int> DropBeforeAsync(HistoryTable table, DateOnly before, CancellationToken ct)
    {
        counter.Increment();
        await using var command = dataSource.CreateCommand("SELECT pdsno_drop_history_before(@table, @before)");
        command.Parameters.AddWithValue("table", TableName(table));
        command.Parameters.AddWithValue("before", before);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Deletes one tenant's rows of <paramref name="table"/> before <paramref name="before"/>: a tenant that keeps fewer days than the days still stored for others.</summary>
    public async Task<int> DeleteBeforeAsync(string tenant, HistoryTable table, DateOnly before, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        counter.Increment();
        await using var command = dataSource.CreateCommand($"DELETE FROM {TableName(table)} WHERE tenant = @tenant AND at < @before");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("before", before.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        command.CommandTimeout = 300;
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static string TableName(HistoryTable table) => table == HistoryTable.Hours ? "interface_samples_hourly" : "interface_samples";

    private static DateTimeOffset Hour(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static void AddKeys(NpgsqlCommand command, IReadOnlyCollection<(string Device, string Interface)> keys)
    {
        command.Parameters.AddWithValue("devices", keys.Select(k => k.Device).ToArray());
        command.Parameters.AddWithValue("interfaces", keys.Select(k => k.Interface).ToArray());
    }

    private async Task ForKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string sql, string tenant, IReadOnlyCollection<(string Device, string Interface)> keys, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        counter.Increment();
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        AddKeys(command, keys);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, HistoryTable table, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        counter.Increment();
        await using var command = new NpgsqlCommand("SELECT pdsno_history_partitions(@table, @from, @to)", connection, tx);
        command.Parameters.AddWithValue("table", TableName(table));
        command.Parameters.AddWithValue("from", DateOnly.FromDateTime(from.UtcDateTime));
        command.Parameters.AddWithValue("to", DateOnly.FromDateTime(to.UtcDateTime));
        await command.ExecuteScalarAsync(ct);
    }
}
