using System.Text;
using System.Text.Json;
using Npgsql;

namespace Pdsno.Storage.ReadModel;

// Devices: the devices table, by key, by filter and by name.
public sealed partial class TopologyReader
{
    private const string DeviceColumns = "d.device, d.region, d.chassis_id, d.name, d.vendor, d.model, d.os_version, d.management_address, d.role, d.status, d.status_since, d.first_seen, d.problems";

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
}
