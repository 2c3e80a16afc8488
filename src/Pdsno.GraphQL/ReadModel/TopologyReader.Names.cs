namespace Pdsno.GraphQL.ReadModel;

/// <summary>Device look-ups by what people call devices: their names.</summary>
public sealed partial class TopologyReader
{
    /// <summary>
    /// The devices whose key is among <paramref name="keys"/> or whose name is exactly one of <paramref name="names"/>,
    /// in <paramref name="scope"/>'s regions when set (one statement). A name may match a device in every region.
    /// </summary>
    /// <remarks>
    /// Names are compared exactly; the <c>lower(name)</c> condition (lowered by PostgreSQL, so both sides agree) is
    /// there so the existing <c>ix_devices_name (tenant, lower(name))</c> index finds the candidates.
    /// </remarks>
    public async Task<IReadOnlyList<DeviceRecord>> FindDevicesByKeyOrNameAsync(
        string tenant, IReadOnlyCollection<string> keys, IReadOnlyCollection<string> names, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(names);
        var devices = new List<DeviceRecord>();
        if (keys.Count == 0 && names.Count == 0)
        {
            return devices;
        }

        await using var command = Command(
            $"""
            SELECT {DeviceColumns} FROM devices d
            WHERE d.tenant = @tenant
              AND (d.device = ANY(@keys) OR (lower(d.name) = ANY(ARRAY(SELECT lower(n) FROM unnest(@names) n)) AND d.name = ANY(@names))){(scope is null ? "" : " AND d.region = ANY(@f_scope)")}
            ORDER BY d.region, d.device
            """,
            tenant);
        command.Parameters.Add(TextArray("keys", keys));
        command.Parameters.Add(TextArray("names", names));
        AddScope(command, scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            devices.Add(ReadDevice(reader));
        }

        return devices;
    }
}
