using Npgsql;
using NpgsqlTypes;
using Pdsno.Storage.ReadModel;

namespace Pdsno.Storage.Telemetry;

/// <summary>
/// The durable rate history of interfaces (<c>interface_samples</c>, one partition per UTC day): written in bulk with
/// binary COPY, read back in time buckets for many interfaces in one statement, and trimmed by dropping whole days.
/// </summary>
public sealed class InterfaceHistoryStore(NpgsqlDataSource dataSource, SqlStatementCounter counter)
{
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
    /// range go, the new ones arrive through one binary COPY. Returns the rows written.
    /// </summary>
    public async Task<long> ReplaceAsync(
        string tenant, IReadOnlyList<HistoryInterface> interfaces, DateTimeOffset from, TimeSpan step, int count, Func<HistoryInterface, int, HistorySample> sample, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(sample);
        var to = from + (step * count);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await EnsurePartitionsAsync(connection, tx, from, to, ct);

        counter.Increment();
        await using (var delete = new NpgsqlCommand(
            """
            DELETE FROM interface_samples
             WHERE tenant = @tenant AND at >= @from AND at < @to
               AND (device, interface) IN (SELECT * FROM unnest(@devices::text[], @interfaces::text[]))
            """, connection, tx))
        {
            delete.Parameters.AddWithValue("tenant", tenant);
            delete.Parameters.AddWithValue("from", from.UtcDateTime);
            delete.Parameters.AddWithValue("to", to.UtcDateTime);
            AddKeys(delete, interfaces.Select(i => (i.Device, i.Interface)).ToList());
            delete.CommandTimeout = 300;
            await delete.ExecuteNonQueryAsync(ct);
        }

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

        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>
    /// The history of each (device, interface) in [<paramref name="since"/>, <paramref name="until"/>) in buckets of
    /// <paramref name="bucket"/> (aligned to the Unix epoch), oldest first, in one statement.
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
            SELECT device, interface, date_bin(@bucket, at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b,
                   avg(in_bps), avg(out_bps), max(in_bps), max(out_bps), max(speed_bps)
              FROM interface_samples
             WHERE tenant = @tenant AND at >= @since AND at < @until
               AND (device, interface) IN (SELECT * FROM unnest(@devices::text[], @interfaces::text[]))
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
                new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetInt64(7)));
        }

        return result;
    }

    /// <summary>Drops the days of history wholly before <paramref name="before"/>; returns how many days went.</summary>
    public async Task<int> DropBeforeAsync(DateOnly before, CancellationToken ct)
    {
        counter.Increment();
        await using var command = dataSource.CreateCommand("SELECT pdsno_drop_interface_samples_before(@before)");
        command.Parameters.AddWithValue("before", before);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    private static void AddKeys(NpgsqlCommand command, IReadOnlyCollection<(string Device, string Interface)> keys)
    {
        command.Parameters.AddWithValue("devices", keys.Select(k => k.Device).ToArray());
        command.Parameters.AddWithValue("interfaces", keys.Select(k => k.Interface).ToArray());
    }

    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        counter.Increment();
        await using var command = new NpgsqlCommand("SELECT pdsno_interface_sample_partitions(@from, @to)", connection, tx);
        command.Parameters.AddWithValue("from", DateOnly.FromDateTime(from.UtcDateTime));
        command.Parameters.AddWithValue("to", DateOnly.FromDateTime(to.UtcDateTime));
        await command.ExecuteScalarAsync(ct);
    }
}
