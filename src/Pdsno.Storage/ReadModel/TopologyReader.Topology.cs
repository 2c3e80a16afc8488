namespace Pdsno.Storage.ReadModel;

// A region drawn as a graph: regions, devices and links read together in at most three statements.
public sealed partial class TopologyReader
{
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
}
