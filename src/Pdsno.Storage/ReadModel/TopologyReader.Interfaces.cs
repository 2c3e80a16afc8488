using Npgsql;

namespace Pdsno.Storage.ReadModel;

// Interfaces: the interfaces table, per device and by key.
public sealed partial class TopologyReader
{
    private const string InterfaceColumns = "i.device, i.name, i.if_index, i.mac, i.speed_bps, i.admin_status, i.oper_status";

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

    private static InterfaceRecord ReadInterface(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.GetString(6));
}
