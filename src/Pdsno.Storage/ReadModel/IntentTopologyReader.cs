using System.Data;
using Npgsql;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Intents;

namespace Pdsno.Storage.ReadModel;

/// <summary>
/// The intent graph's source: the read model and the event log. A snapshot reads the devices, interfaces, links and the
/// log's last sequence in one repeatable-read transaction; a grain writes its rows and its events in one transaction and
/// the sequence is allocated under a per-tenant row lock, so the snapshot holds exactly the events up to that sequence.
/// </summary>
public sealed class IntentTopologyReader(NpgsqlDataSource dataSource) : IIntentTopologySource
{
    /// <inheritdoc />
    public async Task<TopologySnapshot> LoadAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long sequence;
        await using (var last = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM events WHERE tenant = $1", connection, tx))
        {
            last.Parameters.Add(new NpgsqlParameter { Value = tenant });
            sequence = (long)(await last.ExecuteScalarAsync(cancellationToken))!;
        }

        var devices = await ReadDevicesAsync(connection, tx, tenant, null, cancellationToken);
        var interfaces = await ReadInterfacesAsync(connection, tx, tenant, null, cancellationToken);
        var links = await ReadLinksAsync(connection, tx, tenant, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new TopologySnapshot(sequence, devices, interfaces, links);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntentView>> LoadIntentsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT document::text FROM intents WHERE tenant = $1 AND status <> 'WITHDRAWN' ORDER BY intent", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var intents = new List<IntentView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            intents.Add(IntentDocument.Deserialize(reader.GetString(0)));
        }

        return intents;
    }

    /// <inheritdoc />
    public async Task<TopologyUpdate> ReadSinceAsync(string tenant, long sequence, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var events = new List<TopologyEvent>();
        await using (var command = new NpgsqlCommand(
            "SELECT seq, type, region, device, interface, link, old_value, new_value, occurred_at FROM events WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            command.Parameters.Add(new NpgsqlParameter { Value = sequence });
            command.Parameters.Add(new NpgsqlParameter { Value = max });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // Types this build does not know (a newer silo's) carry nothing the graph needs; the sequence still advances.
                var type = Enum.TryParse<TopologyEventType>(reader.GetString(1), true, out var t) ? t : TopologyEventType.TenantCreated;
                events.Add(new TopologyEvent(
                    tenant, reader.GetInt64(0), type, Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7),
                    reader.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        var deviceKeys = events.Where(e => e.Type is TopologyEventType.DeviceAdded or TopologyEventType.DeviceChanged && e.Device is not null).Select(e => e.Device!).Distinct().ToArray();
        var linkKeys = events.Where(e => e.Type == TopologyEventType.LinkAdded && e.Link is not null).Select(e => e.Link!).Distinct().ToArray();
        if (deviceKeys.Length == 0 && linkKeys.Length == 0)
        {
            return new TopologyUpdate(events, [], [], []);
        }

        return new TopologyUpdate(
            events,
            deviceKeys.Length == 0 ? [] : await ReadDevicesAsync(connection, null, tenant, deviceKeys, cancellationToken),
            deviceKeys.Length == 0 ? [] : await ReadInterfacesAsync(connection, null, tenant, deviceKeys, cancellationToken),
            linkKeys.Length == 0 ? [] : await ReadLinksAsync(connection, null, tenant, linkKeys, cancellationToken));
    }

    private static Task<List<GraphDevice>> ReadDevicesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string tenant, string[]? keys, CancellationToken ct) =>
        ReadAsync(connection, tx, "SELECT device, region, name, role, vendor, management_address, status FROM devices WHERE tenant = $1", "device", tenant, keys,
            r => new GraphDevice(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)), ct);

    private static Task<List<GraphInterface>> ReadInterfacesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string tenant, string[]? keys, CancellationToken ct) =>
        ReadAsync(connection, tx, "SELECT device, name, speed_bps, admin_status, oper_status FROM interfaces WHERE tenant = $1", "device", tenant, keys,
            r => new GraphInterface(r.GetString(0), r.GetString(1), r.GetInt64(2), IsUp(r.GetString(3)), IsUp(r.GetString(4))), ct);

    private static Task<List<GraphLink>> ReadLinksAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string tenant, string[]? keys, CancellationToken ct) =>
        ReadAsync(connection, tx, "SELECT link, device_a, interface_a, device_b, interface_b, speed_bps, status FROM links WHERE tenant = $1", "link", tenant, keys,
            r => new GraphLink(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), IsUp(r.GetString(6))), ct);

    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, string keyColumn, string tenant, string[]? keys, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(keys is null ? sql : $"{sql} AND {keyColumn} = ANY($2)", connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        if (keys is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = keys });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static bool IsUp(string status) => string.Equals(status, "UP", StringComparison.OrdinalIgnoreCase);

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
