using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Storage.Projection;

/// <summary>
/// Coalesces the projection work of many grains into few transactions: PostgreSQL here commits a couple of
/// thousand durable transactions a second, far fewer than grains change during a first discovery. Work that
/// arrives while a batch is being written forms the next batch, so batches grow with load and latency stays
/// one round trip when idle.
/// </summary>
public sealed class PostgresProjectionWriter : IProjectionWriter, IAsyncDisposable
{
    private const int MaxBatch = 1000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly DatabaseHealth _health;
    private readonly ILogger<PostgresProjectionWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <summary>Starts the writer loop.</summary>
    public PostgresProjectionWriter(NpgsqlDataSource dataSource, DatabaseHealth health, ILogger<PostgresProjectionWriter> logger)
    {
        _dataSource = dataSource;
        _health = health;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TopologyEvent>> CommitAsync(ProjectionWork work, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(work, new TaskCompletionSource<IReadOnlyList<TopologyEvent>>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops accepting work and finishes what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var stored = await WriteAsync(batch);
                _health.ReportSuccess();
                foreach (var item in batch)
                {
                    item.Completion.TrySetResult(stored.TryGetValue(item, out var events) ? events : []);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                _health.ReportFailure(ex);
                _logger.LogWarning(ex, "Projection batch of {Count} failed; the grains keep the work and retry", batch.Count);
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(new ProjectionUnavailableException("The read model could not be written: " + ex.Message, ex));
                }
            }
        }
    }

    private async Task<Dictionary<Pending, List<TopologyEvent>>> WriteAsync(List<Pending> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();

        var stored = await WriteEventsAsync(connection, tx, batch);
        await WriteRegionsAsync(connection, tx, batch);
        await WriteDevicesAsync(connection, tx, batch);
        await WriteLinksAsync(connection, tx, batch);
        await WriteConfigVersionsAsync(connection, tx, batch);
        await WriteChangesAsync(connection, tx, batch);

        await tx.CommitAsync();
        return stored;
    }

    private static async Task<Dictionary<Pending, List<TopologyEvent>>> WriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Pending> batch)
    {
        var result = new Dictionary<Pending, List<TopologyEvent>>();
        foreach (var tenantGroup in batch.Where(p => p.Work.Events.Count > 0).GroupBy(p => p.Work.Tenant, StringComparer.Ordinal))
        {
            // The same draft can arrive twice in one batch (a grain retried); keep the first.
            var seen = new HashSet<(string, long, int)>();
            var drafts = new List<(Pending Owner, EventDraft Draft)>();
            foreach (var pending in tenantGroup)
            {
                foreach (var draft in pending.Work.Events)
                {
                    if (seen.Add((draft.AggregateId, draft.AggregateVersion, draft.Ordinal)))
                    {
                        drafts.Add((pending, draft));
                    }
                }
            }

            long last;
            await using (var allocate = new NpgsqlCommand(
                """
                INSERT INTO tenant_event_sequence (tenant, last_seq) VALUES (@tenant, @n)
                ON CONFLICT (tenant) DO UPDATE SET last_seq = tenant_event_sequence.last_seq + excluded.last_seq
                RETURNING last_seq
                """, connection, tx))
            {
                allocate.Parameters.AddWithValue("tenant", tenantGroup.Key);
                allocate.Parameters.AddWithValue("n", (long)drafts.Count);
                last = (long)(await allocate.ExecuteScalarAsync())!;
            }

            var first = last - drafts.Count + 1;
            var n = drafts.Count;
            var seqs = new long[n];
            var types = new string[n];
            var aggregates = new string[n];
            var versions = new long[n];
            var ordinals = new int[n];
            var regions = new string?[n];
            var devices = new string?[n];
            var interfaces = new string?[n];
            var links = new string?[n];
            var olds = new string?[n];
            var news = new string?[n];
            var times = new DateTime[n];
            var actors = new string?[n];
            for (var i = 0; i < n; i++)
            {
                var d = drafts[i].Draft;
                seqs[i] = first + i;
                types[i] = d.Type.ToString();
                aggregates[i] = d.AggregateId;
                versions[i] = d.AggregateVersion;
                ordinals[i] = d.Ordinal;
                regions[i] = d.Region;
                devices[i] = d.Device;
                interfaces[i] = d.Interface;
                links[i] = d.Link;
                olds[i] = d.OldValue;
                news[i] = d.NewValue;
                times[i] = d.OccurredAt.UtcDateTime;
                actors[i] = d.Actor;
            }

            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO events (tenant, seq, type, aggregate_id, aggregate_version, ordinal, region, device, interface, link, old_value, new_value, occurred_at, actor)
                SELECT @tenant, x.* FROM unnest(@seq, @type, @agg, @ver, @ord, @region, @device, @iface, @link, @old, @new, @at, @actor)
                    AS x(seq, type, agg, ver, ord, region, device, iface, link, old, new, at, actor)
                ON CONFLICT (tenant, aggregate_id, aggregate_version, ordinal) DO NOTHING
                RETURNING seq
                """, connection, tx);
            insert.Parameters.AddWithValue("tenant", tenantGroup.Key);
            insert.Parameters.AddWithValue("seq", seqs);
            insert.Parameters.AddWithValue("type", types);
            insert.Parameters.AddWithValue("agg", aggregates);
            insert.Parameters.AddWithValue("ver", versions);
            insert.Parameters.AddWithValue("ord", ordinals);
            insert.Parameters.Add(new NpgsqlParameter("region", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = regions });
            insert.Parameters.Add(new NpgsqlParameter("device", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = devices });
            insert.Parameters.Add(new NpgsqlParameter("iface", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = interfaces });
            insert.Parameters.Add(new NpgsqlParameter("link", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = links });
            insert.Parameters.Add(new NpgsqlParameter("old", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = olds });
            insert.Parameters.Add(new NpgsqlParameter("new", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = news });
            insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = times });
            insert.Parameters.Add(new NpgsqlParameter("actor", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = actors });

            var inserted = new HashSet<long>();
            await using (var reader = await insert.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    inserted.Add(reader.GetInt64(0));
                }
            }

            for (var i = 0; i < n; i++)
            {
                if (!inserted.Contains(seqs[i]))
                {
                    continue;
                }

                var (owner, draft) = drafts[i];
                if (!result.TryGetValue(owner, out var list))
                {
                    result[owner] = list = [];
                }

                list.Add(TopologyEvent.From(tenantGroup.Key, seqs[i], draft));
            }
        }

        return result;
    }

    private static async Task WriteRegionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Pending> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Region is not null).Select(p => (p.Work.Tenant, Row: p.Work.Region!)), r => r.Region, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        var live = rows.Where(r => !r.Row.Deleted).ToList();
        if (live.Count > 0)
        {
            await using var cmd = new NpgsqlCommand(
                """
                INSERT INTO regions (tenant, region, name, policy_version, state_version)
                SELECT * FROM unnest(@tenant, @region, @name, @policy, @ver)
                ON CONFLICT (tenant, region) DO UPDATE SET name = excluded.name, policy_version = excluded.policy_version,
                    state_version = excluded.state_version, updated_at = now()
                WHERE regions.state_version < excluded.state_version
                """, connection, tx);
            cmd.Parameters.AddWithValue("tenant", live.Select(r => r.Tenant).ToArray());
            cmd.Parameters.AddWithValue("region", live.Select(r => r.Row.Region).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = live.Select(r => r.Row.Name).ToArray() });
            cmd.Parameters.AddWithValue("policy", live.Select(r => r.Row.PolicyVersion).ToArray());
            cmd.Parameters.AddWithValue("ver", live.Select(r => r.Row.StateVersion).ToArray());
            await cmd.ExecuteNonQueryAsync();
        }

        var deleted = rows.Where(r => r.Row.Deleted).ToList();
        if (deleted.Count > 0)
        {
            await using var delete = new NpgsqlCommand(
                """
                DELETE FROM regions r USING unnest(@tenant, @region, @ver) AS x(tenant, region, ver)
                WHERE r.tenant = x.tenant AND r.region = x.region AND r.state_version < x.ver
                """, connection, tx);
            delete.Parameters.AddWithValue("tenant", deleted.Select(r => r.Tenant).ToArray());
            delete.Parameters.AddWithValue("region", deleted.Select(r => r.Row.Region).ToArray());
            delete.Parameters.AddWithValue("ver", deleted.Select(r => r.Row.StateVersion).ToArray());
            await delete.ExecuteNonQueryAsync();
        }
    }

    private static async Task WriteDevicesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Pending> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Device is not null).Select(p => (p.Work.Tenant, Row: p.Work.Device!)), r => r.Device, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO devices (tenant, device, region, chassis_id, name, vendor, model, os_version, management_address, role, status, status_since, first_seen, state_version, problems,
                config_version, intended_config, observed_config, observed_at, config_sections, config_drift, locked_by, degraded_reason)
            SELECT * FROM unnest(@tenant, @device, @region, @chassis, @name, @vendor, @model, @os, @mgmt, @role, @status, @since, @first, @ver, @problems,
                @cver, @intended, @observed, @observed_at, @sections, @drift, @locked, @degraded)
            ON CONFLICT (tenant, device) DO UPDATE SET
                region = excluded.region, chassis_id = excluded.chassis_id, name = excluded.name, vendor = excluded.vendor,
                model = excluded.model, os_version = excluded.os_version, management_address = excluded.management_address,
                role = excluded.role, status = excluded.status, status_since = excluded.status_since,
                state_version = excluded.state_version, problems = excluded.problems, updated_at = now(),
                config_version = excluded.config_version, intended_config = excluded.intended_config,
                observed_config = excluded.observed_config, observed_at = excluded.observed_at, config_sections = excluded.config_sections,
                config_drift = excluded.config_drift, locked_by = excluded.locked_by, degraded_reason = excluded.degraded_reason
            WHERE devices.state_version < excluded.state_version
            """, connection, tx))
        {
            cmd.Parameters.AddWithValue("tenant", rows.Select(r => r.Tenant).ToArray());
            cmd.Parameters.AddWithValue("device", rows.Select(r => r.Row.Device).ToArray());
            cmd.Parameters.AddWithValue("region", rows.Select(r => r.Row.Region).ToArray());
            cmd.Parameters.AddWithValue("chassis", rows.Select(r => r.Row.ChassisId).ToArray());
            cmd.Parameters.AddWithValue("name", rows.Select(r => r.Row.Name).ToArray());
            cmd.Parameters.AddWithValue("vendor", rows.Select(r => r.Row.Vendor).ToArray());
            cmd.Parameters.AddWithValue("model", rows.Select(r => r.Row.Model).ToArray());
            cmd.Parameters.AddWithValue("os", rows.Select(r => r.Row.OsVersion).ToArray());
            cmd.Parameters.AddWithValue("mgmt", rows.Select(r => r.Row.ManagementAddress).ToArray());
            cmd.Parameters.AddWithValue("role", rows.Select(r => r.Row.Role).ToArray());
            cmd.Parameters.AddWithValue("status", rows.Select(r => r.Row.Status).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.StatusSince.UtcDateTime).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("first", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.FirstSeen.UtcDateTime).ToArray() });
            cmd.Parameters.AddWithValue("ver", rows.Select(r => r.Row.StateVersion).ToArray());
            // One JSON array per row: unnest cannot take an array of arrays.
            cmd.Parameters.Add(new NpgsqlParameter("problems", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => JsonSerializer.Serialize(r.Row.Problems)).ToArray() });
            cmd.Parameters.AddWithValue("cver", rows.Select(r => r.Row.Config?.Version ?? 0).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("intended", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Row.Config?.Intended.ToJson()).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("observed", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Row.Config?.Observed?.ToJson()).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("observed_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => (DateTime?)r.Row.Config?.ObservedAt?.UtcDateTime).ToArray() });
            cmd.Parameters.AddWithValue("sections", rows.Select(r => (int)(r.Row.Config?.Sections ?? ConfigSections.None)).ToArray());
            cmd.Parameters.AddWithValue("drift", rows.Select(r => r.Row.Config?.Drift ?? false).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("locked", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Row.Config?.LockedBy).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("degraded", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Row.Config?.DegradedReason).ToArray() });
            await cmd.ExecuteNonQueryAsync();
        }

        var withInterfaces = rows.Where(r => r.Row.Interfaces is not null).ToList();
        if (withInterfaces.Count == 0)
        {
            return;
        }

        var flat = withInterfaces.SelectMany(r => r.Row.Interfaces!.DistinctBy(i => i.Name).Select(i => (r.Tenant, r.Row.Device, r.Row.StateVersion, Iface: i))).ToList();
        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO interfaces (tenant, device, name, if_index, mac, speed_bps, admin_status, oper_status, state_version)
            SELECT * FROM unnest(@tenant, @device, @name, @idx, @mac, @speed, @admin, @oper, @ver)
            ON CONFLICT (tenant, device, name) DO UPDATE SET
                if_index = excluded.if_index, mac = excluded.mac, speed_bps = excluded.speed_bps,
                admin_status = excluded.admin_status, oper_status = excluded.oper_status, state_version = excluded.state_version
            WHERE interfaces.state_version < excluded.state_version
            """, connection, tx))
        {
            upsert.Parameters.AddWithValue("tenant", flat.Select(f => f.Tenant).ToArray());
            upsert.Parameters.AddWithValue("device", flat.Select(f => f.Device).ToArray());
            upsert.Parameters.AddWithValue("name", flat.Select(f => f.Iface.Name).ToArray());
            upsert.Parameters.AddWithValue("idx", flat.Select(f => f.Iface.Index).ToArray());
            upsert.Parameters.AddWithValue("mac", flat.Select(f => f.Iface.Mac).ToArray());
            upsert.Parameters.AddWithValue("speed", flat.Select(f => f.Iface.SpeedBps).ToArray());
            upsert.Parameters.AddWithValue("admin", flat.Select(f => f.Iface.Admin).ToArray());
            upsert.Parameters.AddWithValue("oper", flat.Select(f => f.Iface.Oper).ToArray());
            upsert.Parameters.AddWithValue("ver", flat.Select(f => f.StateVersion).ToArray());
            await upsert.ExecuteNonQueryAsync();
        }

        // Interfaces the device no longer reports are older than the version that was just written.
        await using var prune = new NpgsqlCommand(
            """
            DELETE FROM interfaces i USING unnest(@tenant, @device, @ver) AS x(tenant, device, ver)
            WHERE i.tenant = x.tenant AND i.device = x.device AND i.state_version < x.ver
            """, connection, tx);
        prune.Parameters.AddWithValue("tenant", withInterfaces.Select(r => r.Tenant).ToArray());
        prune.Parameters.AddWithValue("device", withInterfaces.Select(r => r.Row.Device).ToArray());
        prune.Parameters.AddWithValue("ver", withInterfaces.Select(r => r.Row.StateVersion).ToArray());
        await prune.ExecuteNonQueryAsync();
    }

    private static async Task WriteLinksAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Pending> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Links is not null).SelectMany(p => p.Work.Links!.Select(l => (p.Work.Tenant, Row: l))), r => r.Link, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO links (tenant, link, region, device_a, interface_a, device_b, interface_b, speed_bps, status, status_since, state_version)
            SELECT * FROM unnest(@tenant, @link, @region, @da, @ia, @db, @ib, @speed, @status, @since, @ver)
            ON CONFLICT (tenant, link) DO UPDATE SET
                region = excluded.region, speed_bps = excluded.speed_bps, status = excluded.status,
                status_since = excluded.status_since, state_version = excluded.state_version
            WHERE links.state_version < excluded.state_version
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", rows.Select(r => r.Tenant).ToArray());
        cmd.Parameters.AddWithValue("link", rows.Select(r => r.Row.Link).ToArray());
        cmd.Parameters.AddWithValue("region", rows.Select(r => r.Row.Region).ToArray());
        cmd.Parameters.AddWithValue("da", rows.Select(r => r.Row.DeviceA).ToArray());
        cmd.Parameters.AddWithValue("ia", rows.Select(r => r.Row.InterfaceA).ToArray());
        cmd.Parameters.AddWithValue("db", rows.Select(r => r.Row.DeviceB).ToArray());
        cmd.Parameters.AddWithValue("ib", rows.Select(r => r.Row.InterfaceB).ToArray());
        cmd.Parameters.AddWithValue("speed", rows.Select(r => r.Row.SpeedBps).ToArray());
        cmd.Parameters.AddWithValue("status", rows.Select(r => r.Row.Status).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.StatusSince.UtcDateTime).ToArray() });
        cmd.Parameters.AddWithValue("ver", rows.Select(r => r.Row.StateVersion).ToArray());
        await cmd.ExecuteNonQueryAsync();
    }

    // History rows are written once: a replay of the same version changes nothing.
    private static async Task WriteConfigVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Pending> batch)
    {
        var rows = batch.Where(p => p.Work.ConfigVersions is not null)
            .SelectMany(p => p.Work.ConfigVersions!.Select(v => (p.Work.Tenant, Row: v)))
            .DistinctBy(r => (r.Tenant, r.Row.Device, r.Row.Version.Version))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO device_config_versions (tenant, device, version, config, change_id, actor, applied_at, rollback)
            SELECT * FROM unnest(@tenant, @device, @version, @config, @change, @actor, @at, @rollback)
            ON CONFLICT (tenant, device, version) DO NOTHING
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", rows.Select(r => r.Tenant).ToArray());
        cmd.Parameters.AddWithValue("device", rows.Select(r => r.Row.Device).ToArray());
        cmd.Parameters.AddWithValue("version", rows.Select(r => r.Row.Version.Version).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("config", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Row.Version.Config.ToJson()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("change", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Row.Version.ChangeId).ToArray() });
        cmd.Parameters.AddWithValue("actor", rows.Select(r => r.Row.Version.Actor).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.Version.AppliedAt.UtcDateTime).ToArray() });
        cmd.Parameters.AddWithValue("rollback", rows.Select(r => r.Row.Version.Rollback).ToArray());
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task WriteChangesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Pending> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Change is not null).Select(p => (p.Work.Tenant, Row: p.Work.Change!)), r => r.Change, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO changes (tenant, change, title, status, sensitivity, emergency, acknowledged, proposer, regions, devices, created_at, updated_at, state_version, document)
            SELECT x.tenant, x.change, x.title, x.status, x.sensitivity, x.emergency, x.acknowledged, x.proposer,
                ARRAY(SELECT jsonb_array_elements_text(x.regions)), ARRAY(SELECT jsonb_array_elements_text(x.devices)),
                x.created, x.updated, x.ver, x.doc
            FROM unnest(@tenant, @change, @title, @status, @sensitivity, @emergency, @ack, @proposer, @regions, @devices, @created, @updated, @ver, @doc)
                AS x(tenant, change, title, status, sensitivity, emergency, acknowledged, proposer, regions, devices, created, updated, ver, doc)
            ON CONFLICT (tenant, change) DO UPDATE SET
                title = excluded.title, status = excluded.status, sensitivity = excluded.sensitivity, emergency = excluded.emergency,
                acknowledged = excluded.acknowledged, regions = excluded.regions, devices = excluded.devices,
                updated_at = excluded.updated_at, state_version = excluded.state_version, document = excluded.document
            WHERE changes.state_version < excluded.state_version
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", rows.Select(r => r.Tenant).ToArray());
        cmd.Parameters.AddWithValue("change", rows.Select(r => r.Row.Change).ToArray());
        cmd.Parameters.AddWithValue("title", rows.Select(r => r.Row.Title).ToArray());
        cmd.Parameters.AddWithValue("status", rows.Select(r => r.Row.Status).ToArray());
        cmd.Parameters.AddWithValue("sensitivity", rows.Select(r => r.Row.Sensitivity).ToArray());
        cmd.Parameters.AddWithValue("emergency", rows.Select(r => r.Row.Emergency).ToArray());
        cmd.Parameters.AddWithValue("ack", rows.Select(r => r.Row.Acknowledged).ToArray());
        cmd.Parameters.AddWithValue("proposer", rows.Select(r => r.Row.Proposer).ToArray());
        // Arrays of arrays do not unnest: each row's list travels as a JSON array.
        cmd.Parameters.Add(new NpgsqlParameter("regions", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => JsonSerializer.Serialize(r.Row.Regions)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("devices", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => JsonSerializer.Serialize(r.Row.Devices)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.CreatedAt.UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("updated", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.UpdatedAt.UtcDateTime).ToArray() });
        cmd.Parameters.AddWithValue("ver", rows.Select(r => r.Row.StateVersion).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Row.Document).ToArray() });
        await cmd.ExecuteNonQueryAsync();
    }

    // One row per key, the highest version: an upsert may not touch the same row twice in one statement.
    private static List<(string Tenant, T Row)> Latest<T>(IEnumerable<(string Tenant, T Row)> rows, Func<T, string> key, Func<T, long> version) =>
        rows.GroupBy(r => (r.Tenant, key(r.Row)))
            .Select(g => g.MaxBy(r => version(r.Row)))
            .ToList();

    private sealed record Pending(ProjectionWork Work, TaskCompletionSource<IReadOnlyList<TopologyEvent>> Completion);
}
