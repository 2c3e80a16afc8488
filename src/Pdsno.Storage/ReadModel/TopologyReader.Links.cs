using System.Text;
using Npgsql;

namespace Pdsno.Storage.ReadModel;

// Links: the links table, by key, by filter, as neighbours and as the graph paths walk.
public sealed partial class TopologyReader
{
    private const string LinkColumns = "l.link, l.region, l.device_a, l.interface_a, l.device_b, l.interface_b, l.speed_bps, l.status, l.status_since";

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
}
