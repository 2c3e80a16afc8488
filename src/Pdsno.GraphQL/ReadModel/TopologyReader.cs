using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Pdsno.Abstractions.Events;

namespace Pdsno.GraphQL.ReadModel;

/// <summary>
/// Every SQL read of the API against the read model. Each method is one statement (the topology at most three),
/// always scoped by tenant, and counted by <see cref="SqlStatementCounter"/>.
/// </summary>
public sealed partial class TopologyReader(NpgsqlDataSource dataSource, SqlStatementCounter counter)
{
    private const string RegionColumns = "r.region, coalesce(r.name, r.region), r.policy_version, r.created_at, r.updated_at";
    private const string DeviceColumns = "d.device, d.region, d.chassis_id, d.name, d.vendor, d.model, d.os_version, d.management_address, d.role, d.status, d.status_since, d.first_seen, d.problems";
    private const string InterfaceColumns = "i.device, i.name, i.if_index, i.mac, i.speed_bps, i.admin_status, i.oper_status";
    private const string LinkColumns = "l.link, l.region, l.device_a, l.interface_a, l.device_b, l.interface_b, l.speed_bps, l.status, l.status_since";
    private const string EventColumns = "e.seq, e.type, e.region, e.device, e.interface, e.link, e.old_value, e.new_value, e.occurred_at, e.actor";

    /// <summary>One region, or null when the tenant has no such region.</summary>
    public async Task<RegionRecord?> GetRegionAsync(string tenant, string region, CancellationToken cancellationToken = default)
    {
        var found = await GetRegionsAsync(tenant, [region], cancellationToken);
        return found.GetValueOrDefault(region);
    }

    /// <summary>The regions among <paramref name="regions"/> that exist, by key.</summary>
    public Task<IReadOnlyDictionary<string, RegionRecord>> GetRegionsAsync(string tenant, IReadOnlyCollection<string> regions, CancellationToken cancellationToken = default) =>
        ReadByKeyAsync(
            $"SELECT {RegionColumns} FROM regions r WHERE r.tenant = @tenant AND r.region = ANY(@keys)",
            tenant, regions, ReadRegion, r => r.Key, cancellationToken);

    /// <summary>A keyset page of the tenant's regions (only <paramref name="scope"/>'s when set), ordered by key.</summary>
    public Task<KeysetResult<RegionRecord>> ReadRegionsPageAsync(string tenant, KeysetPage page, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default) =>
        ReadPageAsync($"SELECT {RegionColumns} FROM regions r WHERE r.tenant = @tenant{RegionScope(scope)}", "r.region", tenant, page, c => AddScope(c, scope), ReadRegion, cancellationToken);

    /// <summary>How many regions the tenant has (of <paramref name="scope"/> when set).</summary>
    public Task<int> CountRegionsAsync(string tenant, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default) =>
        CountAsync($"SELECT count(*) FROM regions r WHERE r.tenant = @tenant{RegionScope(scope)}", tenant, c => AddScope(c, scope), cancellationToken);

    private static string RegionScope(IReadOnlyCollection<string>? scope) => scope is null ? "" : " AND r.region = ANY(@f_scope)";

    /// <summary>The number of devices in each of <paramref name="regions"/> (absent regions count zero).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountDevicesByRegionAsync(string tenant, IReadOnlyCollection<string> regions, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT d.region, count(*) FROM devices d WHERE d.tenant = @tenant AND d.region = ANY(@keys) GROUP BY d.region", tenant);
        command.Parameters.Add(TextArray("keys", regions));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>One device, or null when the tenant has no such device.</summary>
    public async Task<DeviceRecord?> GetDeviceAsync(string tenant, string device, CancellationToken cancellationToken = default)
    {
        var found = await GetDevicesAsync(tenant, [device], cancellationToken);
        return found.GetValueOrDefault(device);
    }

    /// <summary>The devices among <paramref name="devices"/> that exist, by key.</summary>
    public Task<IReadOnlyDictionary<string, DeviceRecord>> GetDevicesAsync(string tenant, IReadOnlyCollection<string> devices, CancellationToken cancellationToken = default) =>
        ReadByKeyAsync(
            $"SELECT {DeviceColumns} FROM devices d WHERE d.tenant = @tenant AND d.device = ANY(@keys)",
            tenant, devices, ReadDevice, d => d.Key, cancellationToken);

    /// <summary>A keyset page of the devices matching <paramref name="query"/>, ordered by key.</summary>
    public Task<KeysetResult<DeviceRecord>> ReadDevicesPageAsync(string tenant, DeviceQuery query, KeysetPage page, CancellationToken cancellationToken = default)
    {
        var (where, bind) = DeviceWhere(query);
        return ReadPageAsync($"SELECT {DeviceColumns} FROM devices d WHERE d.tenant = @tenant{where}", "d.device", tenant, page, bind, ReadDevice, cancellationToken);
    }

    /// <summary>How many devices match <paramref name="query"/>.</summary>
    public Task<int> CountDevicesAsync(string tenant, DeviceQuery query, CancellationToken cancellationToken = default)
    {
        var (where, bind) = DeviceWhere(query);
        return CountAsync($"SELECT count(*) FROM devices d WHERE d.tenant = @tenant{where}", tenant, bind, cancellationToken);
    }

    /// <summary>
    /// The interfaces of each of <paramref name="devices"/>, in ifIndex order; devices without interfaces are absent,
    /// and so are devices outside <paramref name="scope"/> when it is set.
    /// </summary>
    /// <remarks>
    /// One primary-key range per device (forced by <c>OFFSET 0</c>, so the plan does not depend on statistics) and no
    /// ORDER BY: each device's few interfaces are put in order here, cheaper than a sort of the whole batch's wide rows.
    /// </remarks>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<InterfaceRecord>>> GetInterfacesAsync(
        string tenant, IReadOnlyCollection<string> devices, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default)
    {
        await using var command = Command(
            $"SELECT {InterfaceColumns} FROM {DeviceKeys(scope)} CROSS JOIN LATERAL (SELECT * FROM interfaces i WHERE i.tenant = @tenant AND i.device = k.device OFFSET 0) i",
            tenant);
        command.Parameters.Add(TextArray("keys", devices));
        AddScope(command, scope);
        var byDevice = new Dictionary<string, List<InterfaceRecord>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = ReadInterface(reader);
            if (!byDevice.TryGetValue(row.Device, out var list))
            {
                byDevice[row.Device] = list = [];
            }

            list.Add(row);
        }

        foreach (var list in byDevice.Values)
        {
            list.Sort(static (x, y) => x.IfIndex != y.IfIndex ? x.IfIndex.CompareTo(y.IfIndex) : string.CompareOrdinal(x.Name, y.Name));
        }

        return byDevice.ToDictionary(p => p.Key, p => (IReadOnlyList<InterfaceRecord>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The interfaces among <paramref name="keys"/> (<c>device/name</c>) that exist, by key.</summary>
    public Task<IReadOnlyDictionary<string, InterfaceRecord>> GetInterfacesByKeyAsync(string tenant, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        ReadByKeyAsync(
            $"SELECT {InterfaceColumns} FROM interfaces i WHERE i.tenant = @tenant AND (i.device || '/' || i.name) = ANY(@keys)",
            tenant, keys, ReadInterface, i => i.Key, cancellationToken);

    /// <summary>One link, or null when the tenant has no such link.</summary>
    public async Task<LinkRecord?> GetLinkAsync(string tenant, string link, CancellationToken cancellationToken = default)
    {
        var found = await GetLinksAsync(tenant, [link], cancellationToken);
        return found.GetValueOrDefault(link);
    }

    /// <summary>The links among <paramref name="links"/> that exist, by key.</summary>
    public Task<IReadOnlyDictionary<string, LinkRecord>> GetLinksAsync(string tenant, IReadOnlyCollection<string> links, CancellationToken cancellationToken = default) =>
        ReadByKeyAsync(
            $"SELECT {LinkColumns} FROM links l WHERE l.tenant = @tenant AND l.link = ANY(@keys)",
            tenant, links, ReadLink, l => l.Key, cancellationToken);

    /// <summary>A keyset page of the links matching <paramref name="query"/>, ordered by key.</summary>
    public Task<KeysetResult<LinkRecord>> ReadLinksPageAsync(string tenant, LinkQuery query, KeysetPage page, CancellationToken cancellationToken = default)
    {
        var (where, bind) = LinkWhere(query);
        return ReadPageAsync($"SELECT {LinkColumns} FROM links l WHERE l.tenant = @tenant{where}", "l.link", tenant, page, bind, ReadLink, cancellationToken);
    }

    /// <summary>How many links match <paramref name="query"/>.</summary>
    public Task<int> CountLinksAsync(string tenant, LinkQuery query, CancellationToken cancellationToken = default)
    {
        var (where, bind) = LinkWhere(query);
        return CountAsync($"SELECT count(*) FROM links l WHERE l.tenant = @tenant{where}", tenant, bind, cancellationToken);
    }

    /// <summary>
    /// The neighbours of each of <paramref name="devices"/>: every link with the device at either end, with the far
    /// end's key and interfaces, in link key order. Devices without links are absent, and so are devices outside
    /// <paramref name="scope"/> when it is set.
    /// </summary>
    /// <remarks>
    /// Each device's links come from the two end indexes (the <c>OFFSET 0</c> keeps the planner from turning the
    /// per-device look-ups into a join of its choosing), and the lists are put in order here rather than by sorting
    /// the batch's rows. The far devices are not joined in: resolvers that want them load them by key in one more
    /// statement, which costs the database a fifth of a per-link join. Joined plainly, tables not yet analysed after a
    /// bulk load (a fresh import, a first discovery) made the planner expect ten links and compare every link with
    /// every device: 1.2 million comparisons and a hundred milliseconds for a dense page.
    /// </remarks>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<NeighborRecord>>> GetNeighborsAsync(
        string tenant, IReadOnlyCollection<string> devices, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default)
    {
        await using var command = Command(
            $"""
            SELECT k.device, {LinkColumns}
            FROM {DeviceKeys(scope)}
            CROSS JOIN LATERAL (
                SELECT * FROM links l WHERE l.tenant = @tenant AND l.device_a = k.device
                UNION ALL
                SELECT * FROM links l WHERE l.tenant = @tenant AND l.device_b = k.device AND l.device_a <> l.device_b
                OFFSET 0
            ) l
            """,
            tenant);
        command.Parameters.Add(TextArray("keys", devices));
        AddScope(command, scope);
        var byDevice = new Dictionary<string, List<NeighborRecord>>(StringComparer.Ordinal);
        // A link between two devices of the batch comes twice: it is materialised once.
        var links = new Dictionary<string, LinkRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var self = reader.GetString(0);
            var linkKey = reader.GetString(1);
            if (!links.TryGetValue(linkKey, out var link))
            {
                links[linkKey] = link = ReadLink(reader, 1);
            }

            var (other, local, remote) = link.FarEndFrom(self);
            if (!byDevice.TryGetValue(self, out var list))
            {
                byDevice[self] = list = [];
            }

            list.Add(new NeighborRecord(self, link, local, remote, other));
        }

        foreach (var list in byDevice.Values)
        {
            list.Sort(static (x, y) => string.CompareOrdinal(x.Link.Key, y.Link.Key));
        }

        return byDevice.ToDictionary(p => p.Key, p => (IReadOnlyList<NeighborRecord>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// A region as a graph in at most three statements: the region with its devices, the links touching them, and
    /// the devices of other regions those links reach. Null when the tenant has no such region. An external device
    /// outside <paramref name="scope"/> (when set) is a node with its key only.
    /// </summary>
    public async Task<TopologyRecord?> GetTopologyAsync(string tenant, string region, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default)
    {
        RegionRecord? regionRecord = null;
        var nodes = new List<TopologyNodeRecord>();
        await using (var command = Command(
            $"""
            SELECT {RegionColumns}, {DeviceColumns}
            FROM regions r LEFT JOIN devices d ON d.tenant = r.tenant AND d.region = r.region
            WHERE r.tenant = @tenant AND r.region = @region
            ORDER BY d.device
            """,
            tenant))
        {
            command.Parameters.AddWithValue("region", region);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                regionRecord ??= ReadRegion(reader);
                if (!reader.IsDBNull(5))
                {
                    var device = ReadDevice(reader, 5);
                    nodes.Add(new TopologyNodeRecord(device.Key, device, External: false));
                }
            }
        }

        if (regionRecord is null)
        {
            return null;
        }

        if (nodes.Count == 0)
        {
            return new TopologyRecord(regionRecord, nodes, []);
        }

        var edges = new List<LinkRecord>();
        await using (var command = Command(
            $"""
            SELECT {LinkColumns} FROM links l
            WHERE l.tenant = @tenant
              AND (l.device_a IN (SELECT device FROM devices WHERE tenant = @tenant AND region = @region)
                OR l.device_b IN (SELECT device FROM devices WHERE tenant = @tenant AND region = @region))
            ORDER BY l.link
            """,
            tenant))
        {
            command.Parameters.AddWithValue("region", region);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                edges.Add(ReadLink(reader));
            }
        }

        var inside = nodes.Select(n => n.Key).ToHashSet(StringComparer.Ordinal);
        var outside = edges.SelectMany(e => new[] { e.DeviceA, e.DeviceB }).Where(d => !inside.Contains(d)).Distinct(StringComparer.Ordinal).ToList();
        if (outside.Count > 0)
        {
            var external = await GetDevicesAsync(tenant, outside, cancellationToken);
            nodes.AddRange(external.Values
                .OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => scope is null || scope.Contains(d.Region) ? new TopologyNodeRecord(d.Key, d, External: true) : new TopologyNodeRecord(d.Key, null, External: true)));
        }

        return new TopologyRecord(regionRecord, nodes, edges);
    }

    /// <summary>Every UP link of the tenant, the graph path finding walks.</summary>
    public async Task<IReadOnlyList<LinkRecord>> ReadUpLinksAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {LinkColumns} FROM links l WHERE l.tenant = @tenant AND l.status = 'UP' ORDER BY l.link", tenant);
        var links = new List<LinkRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            links.Add(ReadLink(reader));
        }

        return links;
    }

    /// <summary>The shortest path over UP links from one device to another, or null when none exists (one statement).</summary>
    public async Task<PathRecord?> FindPathAsync(string tenant, string from, string to, CancellationToken cancellationToken = default) =>
        ShortestPath.Find(await ReadUpLinksAsync(tenant, cancellationToken), from, to);

    /// <summary>Up to <paramref name="max"/> events matching <paramref name="query"/> (after its <c>Since</c>), in sequence order.</summary>
    public async Task<IReadOnlyList<EventRecord>> ReadEventsAsync(string tenant, EventQuery query, int max, CancellationToken cancellationToken = default)
    {
        var page = await ReadEventsPageAsync(tenant, query, new KeysetPage(max), cancellationToken);
        return page.Rows;
    }

    /// <summary>A keyset page of the events matching <paramref name="query"/>, in sequence order; page keys are sequences.</summary>
    public async Task<KeysetResult<EventRecord>> ReadEventsPageAsync(string tenant, EventQuery query, KeysetPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var (where, bind) = EventWhere(query);
        var sql = new StringBuilder($"SELECT {EventColumns} FROM events e WHERE e.tenant = @tenant{where}");
        if (page.After is not null)
        {
            sql.Append(" AND e.seq > @after");
        }

        if (page.Before is not null)
        {
            sql.Append(" AND e.seq < @before");
        }

        sql.Append(page.FromEnd ? " ORDER BY e.seq DESC" : " ORDER BY e.seq").Append(" LIMIT @limit");
        await using var command = Command(sql.ToString(), tenant);
        bind(command);
        if (page.After is not null)
        {
            command.Parameters.AddWithValue("after", long.Parse(page.After));
        }

        if (page.Before is not null)
        {
            command.Parameters.AddWithValue("before", long.Parse(page.Before));
        }

        command.Parameters.AddWithValue("limit", page.Limit + 1);
        return await CollectPageAsync(command, page, ReadEvent, cancellationToken);
    }

    /// <summary>How many events match <paramref name="query"/>.</summary>
    public Task<int> CountEventsAsync(string tenant, EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, bind) = EventWhere(query);
        return CountAsync($"SELECT count(*) FROM events e WHERE e.tenant = @tenant{where}", tenant, bind, cancellationToken);
    }

    private NpgsqlCommand Command(string sql, string tenant)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        counter.Increment();
        var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", tenant);
        return command;
    }

    private async Task<IReadOnlyDictionary<string, T>> ReadByKeyAsync<T>(
        string sql, string tenant, IReadOnlyCollection<string> keys, Func<NpgsqlDataReader, T> read, Func<T, string> keyOf, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, T>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return rows;
        }

        await using var command = Command(sql, tenant);
        command.Parameters.Add(TextArray("keys", keys));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = read(reader);
            rows[keyOf(row)] = row;
        }

        return rows;
    }

    private async Task<KeysetResult<T>> ReadPageAsync<T>(
        string select, string keyColumn, string tenant, KeysetPage page, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var sql = new StringBuilder(select);
        if (page.After is not null)
        {
            sql.Append(" AND ").Append(keyColumn).Append(" > @after");
        }

        if (page.Before is not null)
        {
            sql.Append(" AND ").Append(keyColumn).Append(" < @before");
        }

        sql.Append(" ORDER BY ").Append(keyColumn).Append(page.FromEnd ? " DESC" : "").Append(" LIMIT @limit");
        await using var command = Command(sql.ToString(), tenant);
        bind(command);
        if (page.After is not null)
        {
            command.Parameters.AddWithValue("after", page.After);
        }

        if (page.Before is not null)
        {
            command.Parameters.AddWithValue("before", page.Before);
        }

        command.Parameters.AddWithValue("limit", page.Limit + 1);
        return await CollectPageAsync(command, page, read, cancellationToken);
    }

    private static async Task<KeysetResult<T>> CollectPageAsync<T>(NpgsqlCommand command, KeysetPage page, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }
        }

        var hasMore = rows.Count > page.Limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (page.FromEnd)
        {
            rows.Reverse();
        }

        return new KeysetResult<T>(rows, hasMore);
    }

    private async Task<int> CountAsync(string sql, string tenant, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, tenant);
        bind(command);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static (string Where, Action<NpgsqlCommand> Bind) DeviceWhere(DeviceQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder();
        if (query.Region is not null)
        {
            where.Append(" AND d.region = @f_region");
        }

        if (query.Status is not null)
        {
            where.Append(" AND d.status = @f_status");
        }

        if (query.Vendor is not null)
        {
            where.Append(" AND lower(d.vendor) = lower(@f_vendor)");
        }

        if (query.Role is not null)
        {
            where.Append(" AND lower(d.role) = lower(@f_role)");
        }

        if (query.Name is not null)
        {
            // Exact; the lower(name) term lets ix_devices_name find the rows.
            where.Append(" AND lower(d.name) = lower(@f_name) AND d.name = @f_name");
        }

        if (!string.IsNullOrEmpty(query.Search))
        {
            where.Append(" AND (strpos(lower(d.name), lower(@f_search)) > 0 OR strpos(lower(d.management_address), lower(@f_search)) > 0)");
        }

        if (query.Scope is not null)
        {
            where.Append(" AND d.region = ANY(@f_scope)");
        }

        return (where.ToString(), command =>
        {
            AddIfSet(command, "f_region", query.Region);
            AddIfSet(command, "f_status", query.Status);
            AddIfSet(command, "f_vendor", query.Vendor);
            AddIfSet(command, "f_role", query.Role);
            AddIfSet(command, "f_name", query.Name);
            AddIfSet(command, "f_search", string.IsNullOrEmpty(query.Search) ? null : query.Search);
            AddScope(command, query.Scope);
        });
    }

    private static (string Where, Action<NpgsqlCommand> Bind) LinkWhere(LinkQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder();
        if (query.Region is not null)
        {
            where.Append(" AND l.region = @f_region");
        }

        if (query.Status is not null)
        {
            where.Append(" AND l.status = @f_status");
        }

        if (query.Device is not null)
        {
            where.Append(" AND (l.device_a = @f_device OR l.device_b = @f_device)");
        }

        if (query.Scope is not null)
        {
            where.Append(" AND (l.region = ANY(@f_scope) OR EXISTS (SELECT 1 FROM devices s WHERE s.tenant = l.tenant AND s.device IN (l.device_a, l.device_b) AND s.region = ANY(@f_scope)))");
        }

        return (where.ToString(), command =>
        {
            AddIfSet(command, "f_region", query.Region);
            AddIfSet(command, "f_status", query.Status);
            AddIfSet(command, "f_device", query.Device);
            AddScope(command, query.Scope);
        });
    }

    private static (string Where, Action<NpgsqlCommand> Bind) EventWhere(EventQuery query)
    {
        var where = new StringBuilder(" AND e.seq > @f_since");
        if (query.Types is { Count: > 0 })
        {
            where.Append(" AND e.type = ANY(@f_types)");
        }

        if (query.Region is not null)
        {
            where.Append(" AND e.region = @f_region");
        }

        if (query.Device is not null)
        {
            where.Append(" AND e.device = @f_device");
        }

        if (query.Scope is not null)
        {
            where.Append(" AND e.region = ANY(@f_scope)");
        }

        if (query.HiddenTypes is { Count: > 0 })
        {
            where.Append(" AND e.type <> ALL(@f_hidden)");
        }

        return (where.ToString(), command =>
        {
            AddScope(command, query.Scope);
            if (query.HiddenTypes is { Count: > 0 })
            {
                command.Parameters.Add(TextArray("f_hidden", query.HiddenTypes));
            }

            command.Parameters.AddWithValue("f_since", query.Since);
            if (query.Types is { Count: > 0 })
            {
                command.Parameters.Add(TextArray("f_types", query.Types));
            }

            AddIfSet(command, "f_region", query.Region);
            AddIfSet(command, "f_device", query.Device);
        });
    }

    // The keys of a batch, narrowed to devices of the scope's regions when there is one (by primary key, so a key
    // outside the scope costs the same as one that does not exist).
    private static string DeviceKeys(IReadOnlyCollection<string>? scope) => scope is null
        ? "unnest(@keys) k(device)"
        : "(SELECT s.device FROM devices s WHERE s.tenant = @tenant AND s.device = ANY(@keys) AND s.region = ANY(@f_scope)) k";

    private static void AddScope(NpgsqlCommand command, IReadOnlyCollection<string>? scope)
    {
        if (scope is not null)
        {
            command.Parameters.Add(TextArray("f_scope", scope));
        }
    }

    private static void AddIfSet(NpgsqlCommand command, string name, string? value)
    {
        if (value is not null)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static NpgsqlParameter TextArray(string name, IReadOnlyCollection<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Distinct(StringComparer.Ordinal).ToArray() };

    private static RegionRecord ReadRegion(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4));

    private static DeviceRecord ReadDevice(NpgsqlDataReader r) => ReadDevice(r, 0);

    private static DeviceRecord ReadDevice(NpgsqlDataReader r, int o) =>
        new(
            r.GetString(o),
            r.GetString(o + 1),
            r.GetString(o + 2),
            r.GetString(o + 3),
            r.GetString(o + 4),
            r.GetString(o + 5),
            r.GetString(o + 6),
            r.GetString(o + 7),
            r.GetString(o + 8),
            r.GetString(o + 9),
            r.GetFieldValue<DateTimeOffset>(o + 10),
            r.GetFieldValue<DateTimeOffset>(o + 11),
            Problems(r.GetString(o + 12)));

    // Nearly every device has none: the stored empty list is recognised without a parse.
    private static string[] Problems(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static InterfaceRecord ReadInterface(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.GetString(6));

    private static LinkRecord ReadLink(NpgsqlDataReader r) => ReadLink(r, 0);

    private static LinkRecord ReadLink(NpgsqlDataReader r, int o) =>
        new(
            r.GetString(o),
            r.GetString(o + 1),
            r.GetString(o + 2),
            r.GetString(o + 3),
            r.GetString(o + 4),
            r.GetString(o + 5),
            r.GetInt64(o + 6),
            r.GetString(o + 7),
            r.GetFieldValue<DateTimeOffset>(o + 8));

    private static EventRecord ReadEvent(NpgsqlDataReader r) =>
        new(
            r.GetInt64(0),
            Enum.Parse<TopologyEventType>(r.GetString(1), ignoreCase: true),
            r.IsDBNull(2) ? null : r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3),
            r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7),
            r.GetFieldValue<DateTimeOffset>(8),
            r.IsDBNull(9) ? null : r.GetString(9));
}
