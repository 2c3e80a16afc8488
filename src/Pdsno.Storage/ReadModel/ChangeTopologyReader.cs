using Npgsql;
using Pdsno.Grains.Changes;

namespace Pdsno.Storage.ReadModel;

/// <summary>The live topology a proposal's impact is judged on, read from the read model in one statement.</summary>
public sealed class ChangeTopologyReader(NpgsqlDataSource dataSource) : IChangeTopology
{
    /// <inheritdoc />
    public async Task<ChangeTopology> ReadAsync(string tenant, IReadOnlyCollection<string> regions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regions);
        await using var command = dataSource.CreateCommand(
            """
            WITH d AS (SELECT device, region, name, role FROM devices WHERE tenant = $1 AND region = ANY($2))
            SELECT 'd', d.device, d.region, d.name, d.role, NULL, NULL, NULL, NULL FROM d
            UNION ALL
            SELECT 'l', l.link, l.region, l.device_a, l.interface_a, l.device_b, l.interface_b, l.status, NULL
            FROM links l WHERE l.tenant = $1 AND (l.device_a IN (SELECT device FROM d) OR l.device_b IN (SELECT device FROM d))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = regions.ToArray() });
        var devices = new List<TopologyDevice>();
        var links = new List<TopologyLink>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetString(0) == "d")
            {
                devices.Add(new TopologyDevice(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }
            else
            {
                links.Add(new TopologyLink(
                    reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                    string.Equals(reader.GetString(7), "UP", StringComparison.OrdinalIgnoreCase)));
            }
        }

        return new ChangeTopology(devices, links);
    }
}
