using Npgsql;
using Pdsno.Abstractions.Config;

namespace Pdsno.Storage.ReadModel;

// Config: a device's config columns and its history of applied versions.
public sealed partial class TopologyReader
{
    private const string ConfigVersionColumns = "v.version, v.config, v.change_id, v.actor, v.applied_at, v.rollback";

    /// <summary>The config of each of <paramref name="devices"/> that has one, by device key, within <paramref name="scope"/>'s regions when set.</summary>
    public async Task<IReadOnlyDictionary<string, DeviceConfigRecord>> GetDeviceConfigsAsync(
        string tenant, IReadOnlyCollection<string> devices, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default)
    {
        var configs = new Dictionary<string, DeviceConfigRecord>(StringComparer.Ordinal);
        if (devices.Count == 0)
        {
            return configs;
        }

        await using var command = Command(
            $"""
            SELECT d.device, d.region, d.intended_config, d.config_version, CASE WHEN d.observed_is_intended THEN d.intended_config ELSE d.observed_config END, d.observed_at, d.config_sections, d.config_drift, d.locked_by, d.degraded_reason
            FROM devices d WHERE d.tenant = @tenant AND d.device = ANY(@keys) AND d.intended_config IS NOT NULL{(scope is null ? "" : " AND d.region = ANY(@f_scope)")}
            """,
            tenant);
        command.Parameters.Add(TextArray("keys", devices));
        AddScope(command, scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new DeviceConfigRecord(
                reader.GetString(0),
                reader.GetString(1),
                DeviceConfig.FromJson(reader.GetString(2)),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : DeviceConfig.FromJson(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                (ConfigSections)reader.GetInt32(6),
                reader.GetBoolean(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9));
            configs[row.Device] = row;
        }

        return configs;
    }

    /// <summary>
    /// A page of a device's applied config versions, newest first: at most <paramref name="limit"/> versions older than
    /// <paramref name="beforeVersion"/> (all when null), and whether older ones remain.
    /// </summary>
    public async Task<KeysetResult<ConfigVersion>> ReadConfigHistoryAsync(
        string tenant, string device, int limit, long? beforeVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = Command(
            $"""
            SELECT {ConfigVersionColumns} FROM device_config_versions v
            WHERE v.tenant = @tenant AND v.device = @device{(beforeVersion is null ? "" : " AND v.version < @before")}
            ORDER BY v.version DESC LIMIT @limit
            """,
            tenant);
        command.Parameters.AddWithValue("device", device);
        command.Parameters.AddWithValue("limit", limit + 1);
        if (beforeVersion is { } before)
        {
            command.Parameters.AddWithValue("before", before);
        }

        var rows = new List<ConfigVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadConfigVersion(reader));
        }

        var hasMore = rows.Count > limit;
        return new KeysetResult<ConfigVersion>(hasMore ? rows[..limit] : rows, hasMore);
    }

    /// <summary>How many config versions a device has.</summary>
    public async Task<int> CountConfigVersionsAsync(string tenant, string device, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT count(*) FROM device_config_versions v WHERE v.tenant = @tenant AND v.device = @device", tenant);
        command.Parameters.AddWithValue("device", device);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>One applied version of a device's config, or null when the device has no such version (what a restore applies again).</summary>
    public async Task<ConfigVersion?> ConfigVersionAsync(string tenant, string device, long version, CancellationToken cancellationToken = default)
    {
        await using var command = Command(
            $"SELECT {ConfigVersionColumns} FROM device_config_versions v WHERE v.tenant = @tenant AND v.device = @device AND v.version = @version",
            tenant);
        command.Parameters.AddWithValue("device", device);
        command.Parameters.AddWithValue("version", version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadConfigVersion(reader) : null;
    }

    private static ConfigVersion ReadConfigVersion(NpgsqlDataReader r) =>
        new(r.GetInt64(0), DeviceConfig.FromJson(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetBoolean(5));
}
