using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Storage.Projection;

/// <summary>A grain state to write with a projection: the version it replaces (none for the first write) and its bytes.</summary>
public sealed record GrainStateWrite(string ServiceId, string GrainType, string GrainKey, string StateName, int? Expected, byte[] Payload, bool DeferDurability = false);

/// <summary>
/// Coalesces the projection work and grain-state writes of many grains into few transactions: work that arrives while
/// a batch is being written forms the next batch, so batches grow with load and latency stays one round trip when idle.
/// Every statement of a batch travels in one round trip and commits in one implicit transaction.
/// </summary>
public sealed class PostgresProjectionWriter : IProjectionWriter, IAsyncDisposable
{
    private const int MaxBatch = 1000;
    private const string StateConflict = "PD409";

    private readonly NpgsqlDataSource _dataSource;
    private readonly DatabaseHealth _health;
    private readonly ILogger<PostgresProjectionWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    // The loop's own connection, kept open: a pooled one is reset when returned, which throws away the server's plans, and
    // the statements here are the same every batch, so they are prepared once and planned once.
    private NpgsqlConnection? _connection;

    /// <summary>Starts the writer loop.</summary>
    public PostgresProjectionWriter(NpgsqlDataSource dataSource, DatabaseHealth health, ILogger<PostgresProjectionWriter> logger)
    {
        _dataSource = dataSource;
        _health = health;
        _logger = logger;
        // A thread of its own with blocking I/O: under load the thread pool's queue is thousands of grain turns long,
        // and every await of a loop that all grains' writes go through would wait behind them.
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TopologyEvent>> CommitAsync(ProjectionWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return (await EnqueueAsync(work, null, cancellationToken)).Events;
    }

    /// <summary>
    /// Writes a grain state and, when given, its projection in one transaction; answers the state's new version and the
    /// events newly stored. A state that is not at <see cref="GrainStateWrite.Expected"/> fails with
    /// <see cref="InconsistentStateException"/> and writes nothing of its projection.
    /// </summary>
    public Task<(IReadOnlyList<TopologyEvent> Events, int Version)> CommitAsync(GrainStateWrite state, ProjectionWork? work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return EnqueueAsync(work, state, cancellationToken);
    }

    /// <summary>Stops accepting work and finishes what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private Task<(IReadOnlyList<TopologyEvent> Events, int Version)> EnqueueAsync(ProjectionWork? work, GrainStateWrite? state, CancellationToken cancellationToken)
    {
        var pending = new Pending(work, state, new TaskCompletionSource<(IReadOnlyList<TopologyEvent>, int)>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private void Run()
    {
        var batch = new List<Pending>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            while (batch.Count > 0)
            {
                try
                {
                    var (stored, versions) = Write(batch);
                    _health.ReportSuccess();
                    foreach (var item in batch)
                    {
                        item.Completion.TrySetResult((stored.TryGetValue(item, out var events) ? events : [], versions.GetValueOrDefault(item)));
                    }

                    break;
                }
                catch (PostgresException ex) when (ex.SqlState == StateConflict && ConflictIndex(ex) is { } index && index < batch.Count(p => p.State is not null))
                {
                    // Another activation wrote that state: its writer learns it, the rest of the batch goes again.
                    _health.ReportSuccess();
                    var loser = batch.Where(p => p.State is not null).ElementAt(index);
                    loser.Completion.TrySetException(new InconsistentStateException(ex.MessageText));
                    batch.Remove(loser);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // The connection may be broken; the next batch opens a new one.
                    _connection?.Dispose();
                    _connection = null;
                    _health.ReportFailure(ex);
                    _logger.LogWarning(ex, "Projection batch of {Count} failed; the grains keep the work and retry", batch.Count);
                    foreach (var item in batch)
                    {
                        item.Completion.TrySetException(new ProjectionUnavailableException("The read model could not be written: " + ex.Message, ex));
                    }

                    break;
                }
            }
        }
    }

    // The function names the write that lost as "[write N]" at the end of its message.
    private static int? ConflictIndex(PostgresException ex)
    {
        var text = ex.MessageText;
        var start = text.LastIndexOf("[write ", StringComparison.Ordinal);
        return start >= 0 && text.EndsWith(']') && int.TryParse(text.AsSpan(start + 7, text.Length - start - 8), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : null;
    }

    private (Dictionary<Pending, List<TopologyEvent>> Stored, Dictionary<Pending, int> Versions) Write(List<Pending> batch)
    {
        var works = batch.Where(p => p.Work is not null).Select(p => (Pending: p, Work: p.Work!)).ToList();
        _connection ??= _dataSource.OpenConnection();
        using var sql = new NpgsqlBatch(_connection);

        // Row-returning statements first, in the order their results are read.
        var states = AddGrainStates(sql, batch);
        var events = AddEvents(sql, works);
        AddRegions(sql, works);
        AddDevices(sql, works);
        AddLinks(sql, works);
        AddConfigVersions(sql, works);
        AddChanges(sql, works);
        AddIntents(sql, works);

        // Last, so no result is read from it; it holds for the batch's implicit transaction only.
        if (batch.All(p => p.State is { DeferDurability: true } && (p.Work is null || p.Work.Events.Count == 0)))
        {
            sql.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        }

        var versions = new Dictionary<Pending, int>();
        var stored = new Dictionary<Pending, List<TopologyEvent>>();
        if (sql.BatchCommands.Count == 0)
        {
            return (stored, versions);
        }

        sql.Prepare();
        using var reader = sql.ExecuteReader();
        if (states.Count > 0)
        {
            reader.Read();
            var written = reader.GetFieldValue<int[]>(0);
            for (var i = 0; i < states.Count; i++)
            {
                versions[states[i]] = written[i];
            }

            reader.NextResult();
        }

        foreach (var (tenant, drafts) in events)
        {
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                var key = (reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3));
                var (owner, draft) = drafts[key];
                if (!stored.TryGetValue(owner, out var list))
                {
                    stored[owner] = list = [];
                }

                list.Add(TopologyEvent.From(tenant, seq, draft));
            }

            reader.NextResult();
        }

        // Events come back in no particular order; each grain announces its own in sequence.
        foreach (var list in stored.Values)
        {
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        }

        return (stored, versions);
    }

    private static List<Pending> AddGrainStates(NpgsqlBatch sql, List<Pending> batch)
    {
        var states = batch.Where(p => p.State is not null).ToList();
        if (states.Count == 0)
        {
            return states;
        }

        var command = new NpgsqlBatchCommand("SELECT pdsno_write_grain_states(@service, @types, @keys, @names, @expected, @payloads)");
        command.Parameters.AddWithValue("service", states[0].State!.ServiceId);
        command.Parameters.AddWithValue("types", states.Select(p => p.State!.GrainType).ToArray());
        command.Parameters.AddWithValue("keys", states.Select(p => p.State!.GrainKey).ToArray());
        command.Parameters.AddWithValue("names", states.Select(p => p.State!.StateName).ToArray());
        command.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = states.Select(p => p.State!.Expected).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = states.Select(p => p.State!.Payload).ToArray() });
        sql.BatchCommands.Add(command);
        return states;
    }

    private static List<(string Tenant, Dictionary<(string, long, int), (Pending Owner, EventDraft Draft)> Drafts)> AddEvents(NpgsqlBatch sql, List<(Pending Pending, ProjectionWork Work)> works)
    {
        var result = new List<(string, Dictionary<(string, long, int), (Pending, EventDraft)>)>();
        foreach (var tenantGroup in works.Where(p => p.Work.Events.Count > 0).GroupBy(p => p.Work.Tenant, StringComparer.Ordinal))
        {
            // The same draft can arrive twice in one batch (a grain retried); keep the first.
            var drafts = new Dictionary<(string, long, int), (Pending, EventDraft)>();
            var ordered = new List<EventDraft>();
            foreach (var (pending, work) in tenantGroup)
            {
                foreach (var draft in work.Events)
                {
                    if (drafts.TryAdd((draft.AggregateId, draft.AggregateVersion, draft.Ordinal), (pending, draft)))
                    {
                        ordered.Add(draft);
                    }
                }
            }

            // The tenant's sequence is taken in the same statement: numbers follow the order of the drafts.
            var command = new NpgsqlBatchCommand(
                """
                WITH alloc AS (
                    INSERT INTO tenant_event_sequence (tenant, last_seq) VALUES (@tenant, @n)
                    ON CONFLICT (tenant) DO UPDATE SET last_seq = tenant_event_sequence.last_seq + excluded.last_seq
                    RETURNING last_seq)
                INSERT INTO events (tenant, seq, type, aggregate_id, aggregate_version, ordinal, region, device, interface, link, old_value, new_value, occurred_at, actor)
                SELECT @tenant, alloc.last_seq - @n + x.n, x.type, x.agg, x.ver, x.ord, x.region, x.device, x.iface, x.link, x.old, x.new, x.at, x.actor
                FROM alloc, unnest(@type, @agg, @ver, @ord, @region, @device, @iface, @link, @old, @new, @at, @actor) WITH ORDINALITY
                    AS x(type, agg, ver, ord, region, device, iface, link, old, new, at, actor, n)
                ON CONFLICT (tenant, aggregate_id, aggregate_version, ordinal) DO NOTHING
                RETURNING seq, aggregate_id, aggregate_version, ordinal
                """);
            command.Parameters.AddWithValue("tenant", tenantGroup.Key);
            command.Parameters.AddWithValue("n", (long)ordered.Count);
            command.Parameters.AddWithValue("type", ordered.Select(d => d.Type.ToString()).ToArray());
            command.Parameters.AddWithValue("agg", ordered.Select(d => d.AggregateId).ToArray());
            command.Parameters.AddWithValue("ver", ordered.Select(d => d.AggregateVersion).ToArray());
            command.Parameters.AddWithValue("ord", ordered.Select(d => d.Ordinal).ToArray());
            command.Parameters.Add(Texts("region", ordered.Select(d => d.Region)));
            command.Parameters.Add(Texts("device", ordered.Select(d => d.Device)));
            command.Parameters.Add(Texts("iface", ordered.Select(d => d.Interface)));
            command.Parameters.Add(Texts("link", ordered.Select(d => d.Link)));
            command.Parameters.Add(Texts("old", ordered.Select(d => d.OldValue)));
            command.Parameters.Add(Texts("new", ordered.Select(d => d.NewValue)));
            command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = ordered.Select(d => d.OccurredAt.UtcDateTime).ToArray() });
            command.Parameters.Add(Texts("actor", ordered.Select(d => d.Actor)));
            sql.BatchCommands.Add(command);
            result.Add((tenantGroup.Key, drafts));
        }

        return result;
    }

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static void AddRegions(NpgsqlBatch sql, List<(Pending Pending, ProjectionWork Work)> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Region is not null).Select(p => (p.Work.Tenant, Row: p.Work.Region!)), r => r.Region, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        var live = rows.Where(r => !r.Row.Deleted).ToList();
        if (live.Count > 0)
        {
            var cmd = new NpgsqlBatchCommand(
                """
                INSERT INTO regions (tenant, region, name, policy_version, state_version)
                SELECT * FROM unnest(@tenant, @region, @name, @policy, @ver)
                ON CONFLICT (tenant, region) DO UPDATE SET name = excluded.name, policy_version = excluded.policy_version,
                    state_version = excluded.state_version, updated_at = now()
                WHERE regions.state_version < excluded.state_version
                """);
            cmd.Parameters.AddWithValue("tenant", live.Select(r => r.Tenant).ToArray());
            cmd.Parameters.AddWithValue("region", live.Select(r => r.Row.Region).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = live.Select(r => r.Row.Name).ToArray() });
            cmd.Parameters.AddWithValue("policy", live.Select(r => r.Row.PolicyVersion).ToArray());
            cmd.Parameters.AddWithValue("ver", live.Select(r => r.Row.StateVersion).ToArray());
            sql.BatchCommands.Add(cmd);
        }

        var deleted = rows.Where(r => r.Row.Deleted).ToList();
        if (deleted.Count > 0)
        {
            var delete = new NpgsqlBatchCommand(
                """
                DELETE FROM regions r USING unnest(@tenant, @region, @ver) AS x(tenant, region, ver)
                WHERE r.tenant = x.tenant AND r.region = x.region AND r.state_version < x.ver
                """);
            delete.Parameters.AddWithValue("tenant", deleted.Select(r => r.Tenant).ToArray());
            delete.Parameters.AddWithValue("region", deleted.Select(r => r.Row.Region).ToArray());
            delete.Parameters.AddWithValue("ver", deleted.Select(r => r.Row.StateVersion).ToArray());
            sql.BatchCommands.Add(delete);
        }
    }

    private static void AddDevices(NpgsqlBatch sql, List<(Pending Pending, ProjectionWork Work)> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Device is not null).Select(p => (p.Work.Tenant, Row: p.Work.Device!)), r => r.Device, r => r.StateVersion, CarryConfigs);
        if (rows.Count == 0)
        {
            return;
        }

        var cmd = new NpgsqlBatchCommand(
            """
            INSERT INTO devices (tenant, device, region, chassis_id, name, vendor, model, os_version, management_address, role, status, status_since, first_seen, state_version, problems,
                config_version, intended_config, observed_config, observed_is_intended, observed_at, config_sections, config_drift, locked_by, degraded_reason)
            SELECT * FROM unnest(@tenant, @device, @region, @chassis, @name, @vendor, @model, @os, @mgmt, @role, @status, @since, @first, @ver, @problems,
                @cver, @intended, @observed, @observed_is_intended, @observed_at, @sections, @drift, @locked, @degraded)
            ON CONFLICT (tenant, device) DO UPDATE SET
                region = excluded.region, chassis_id = excluded.chassis_id, name = excluded.name, vendor = excluded.vendor,
                model = excluded.model, os_version = excluded.os_version, management_address = excluded.management_address,
                role = excluded.role, status = excluded.status, status_since = excluded.status_since,
                state_version = excluded.state_version, problems = excluded.problems, updated_at = now(),
                config_version = excluded.config_version,
                intended_config = COALESCE(excluded.intended_config, devices.intended_config),
                observed_config = CASE WHEN excluded.intended_config IS NULL THEN devices.observed_config ELSE excluded.observed_config END,
                observed_is_intended = CASE WHEN excluded.intended_config IS NULL THEN devices.observed_is_intended ELSE excluded.observed_is_intended END,
                observed_at = excluded.observed_at, config_sections = excluded.config_sections,
                config_drift = excluded.config_drift, locked_by = excluded.locked_by, degraded_reason = excluded.degraded_reason
            WHERE devices.state_version < excluded.state_version
            """);
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
        cmd.Parameters.Add(new NpgsqlParameter("intended", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = rows.Select(r => r.Row.Config is { WithConfigs: true } c ? c.Intended.ToJson() : null).ToArray() });
        // A null intended config keeps the row's configs: the device holds the ones projected last.
        cmd.Parameters.Add(new NpgsqlParameter("observed", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = rows.Select(r => r.Row.Config is { WithConfigs: true } c && !ObservedIsIntended(c) ? c.Observed?.ToJson() : null).ToArray() });
        cmd.Parameters.AddWithValue("observed_is_intended", rows.Select(r => r.Row.Config is { } c && ObservedIsIntended(c)).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("observed_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => (DateTime?)r.Row.Config?.ObservedAt?.UtcDateTime).ToArray() });
        cmd.Parameters.AddWithValue("sections", rows.Select(r => (int)(r.Row.Config?.Sections ?? ConfigSections.None)).ToArray());
        cmd.Parameters.AddWithValue("drift", rows.Select(r => r.Row.Config?.Drift ?? false).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("locked", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Row.Config?.LockedBy).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("degraded", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Row.Config?.DegradedReason).ToArray() });
        sql.BatchCommands.Add(cmd);

        var withInterfaces = rows.Where(r => r.Row.Interfaces is not null).ToList();
        if (withInterfaces.Count == 0)
        {
            return;
        }

        var flat = withInterfaces.SelectMany(r => r.Row.Interfaces!.DistinctBy(i => i.Name).Select(i => (r.Tenant, r.Row.Device, r.Row.StateVersion, Iface: i))).ToList();
        var upsert = new NpgsqlBatchCommand(
            """
            INSERT INTO interfaces (tenant, device, name, if_index, mac, speed_bps, admin_status, oper_status, state_version)
            SELECT * FROM unnest(@tenant, @device, @name, @idx, @mac, @speed, @admin, @oper, @ver)
            ON CONFLICT (tenant, device, name) DO UPDATE SET
                if_index = excluded.if_index, mac = excluded.mac, speed_bps = excluded.speed_bps,
                admin_status = excluded.admin_status, oper_status = excluded.oper_status, state_version = excluded.state_version
            WHERE interfaces.state_version < excluded.state_version
            """);
        upsert.Parameters.AddWithValue("tenant", flat.Select(f => f.Tenant).ToArray());
        upsert.Parameters.AddWithValue("device", flat.Select(f => f.Device).ToArray());
        upsert.Parameters.AddWithValue("name", flat.Select(f => f.Iface.Name).ToArray());
        upsert.Parameters.AddWithValue("idx", flat.Select(f => f.Iface.Index).ToArray());
        upsert.Parameters.AddWithValue("mac", flat.Select(f => f.Iface.Mac).ToArray());
        upsert.Parameters.AddWithValue("speed", flat.Select(f => f.Iface.SpeedBps).ToArray());
        upsert.Parameters.AddWithValue("admin", flat.Select(f => f.Iface.Admin).ToArray());
        upsert.Parameters.AddWithValue("oper", flat.Select(f => f.Iface.Oper).ToArray());
        upsert.Parameters.AddWithValue("ver", flat.Select(f => f.StateVersion).ToArray());
        sql.BatchCommands.Add(upsert);

        // Interfaces the device no longer reports are older than the version that was just written.
        var prune = new NpgsqlBatchCommand(
            """
            DELETE FROM interfaces i USING unnest(@tenant, @device, @ver) AS x(tenant, device, ver)
            WHERE i.tenant = x.tenant AND i.device = x.device AND i.state_version < x.ver
            """);
        prune.Parameters.AddWithValue("tenant", withInterfaces.Select(r => r.Tenant).ToArray());
        prune.Parameters.AddWithValue("device", withInterfaces.Select(r => r.Row.Device).ToArray());
        prune.Parameters.AddWithValue("ver", withInterfaces.Select(r => r.Row.StateVersion).ToArray());
        sql.BatchCommands.Add(prune);
    }

    private static void AddLinks(NpgsqlBatch sql, List<(Pending Pending, ProjectionWork Work)> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Links is not null).SelectMany(p => p.Work.Links!.Select(l => (p.Work.Tenant, Row: l))), r => r.Link, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        var cmd = new NpgsqlBatchCommand(
            """
            INSERT INTO links (tenant, link, region, device_a, interface_a, device_b, interface_b, speed_bps, status, status_since, state_version)
            SELECT * FROM unnest(@tenant, @link, @region, @da, @ia, @db, @ib, @speed, @status, @since, @ver)
            ON CONFLICT (tenant, link) DO UPDATE SET
                region = excluded.region, speed_bps = excluded.speed_bps, status = excluded.status,
                status_since = excluded.status_since, state_version = excluded.state_version
            WHERE links.state_version < excluded.state_version
            """);
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
        sql.BatchCommands.Add(cmd);
    }

    // History rows are written once: a replay of the same version changes nothing.
    private static void AddConfigVersions(NpgsqlBatch sql, List<(Pending Pending, ProjectionWork Work)> batch)
    {
        var rows = batch.Where(p => p.Work.ConfigVersions is not null)
            .SelectMany(p => p.Work.ConfigVersions!.Select(v => (p.Work.Tenant, Row: v)))
            .DistinctBy(r => (r.Tenant, r.Row.Device, r.Row.Version.Version))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var cmd = new NpgsqlBatchCommand(
            """
            INSERT INTO device_config_versions (tenant, device, version, config, change_id, actor, applied_at, rollback)
            SELECT * FROM unnest(@tenant, @device, @version, @config, @change, @actor, @at, @rollback)
            ON CONFLICT (tenant, device, version) DO NOTHING
            """);
        cmd.Parameters.AddWithValue("tenant", rows.Select(r => r.Tenant).ToArray());
        cmd.Parameters.AddWithValue("device", rows.Select(r => r.Row.Device).ToArray());
        cmd.Parameters.AddWithValue("version", rows.Select(r => r.Row.Version.Version).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("config", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = rows.Select(r => r.Row.Version.Config.ToJson()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("change", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Row.Version.ChangeId).ToArray() });
        cmd.Parameters.AddWithValue("actor", rows.Select(r => r.Row.Version.Actor).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.Version.AppliedAt.UtcDateTime).ToArray() });
        cmd.Parameters.AddWithValue("rollback", rows.Select(r => r.Row.Version.Rollback).ToArray());
        sql.BatchCommands.Add(cmd);
    }

    private static void AddChanges(NpgsqlBatch sql, List<(Pending Pending, ProjectionWork Work)> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Change is not null).Select(p => (p.Work.Tenant, Row: p.Work.Change!)), r => r.Change, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        var cmd = new NpgsqlBatchCommand(
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
            """);
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
        sql.BatchCommands.Add(cmd);
    }

    private static void AddIntents(NpgsqlBatch sql, List<(Pending Pending, ProjectionWork Work)> batch)
    {
        var rows = Latest(batch.Where(p => p.Work.Intent is not null).Select(p => (p.Work.Tenant, Row: p.Work.Intent!)), r => r.Intent, r => r.StateVersion);
        if (rows.Count == 0)
        {
            return;
        }

        var cmd = new NpgsqlBatchCommand(
            """
            INSERT INTO intents (tenant, intent, kind, status, regions, devices, created_at, updated_at, state_version, document)
            SELECT x.tenant, x.intent, x.kind, x.status,
                ARRAY(SELECT jsonb_array_elements_text(x.regions)), ARRAY(SELECT jsonb_array_elements_text(x.devices)),
                x.created, x.updated, x.ver, x.doc
            FROM unnest(@tenant, @intent, @kind, @status, @regions, @devices, @created, @updated, @ver, @doc)
                AS x(tenant, intent, kind, status, regions, devices, created, updated, ver, doc)
            ON CONFLICT (tenant, intent) DO UPDATE SET
                status = excluded.status, regions = excluded.regions, devices = excluded.devices,
                updated_at = excluded.updated_at, state_version = excluded.state_version, document = excluded.document
            WHERE intents.state_version < excluded.state_version
            """);
        cmd.Parameters.AddWithValue("tenant", rows.Select(r => r.Tenant).ToArray());
        cmd.Parameters.AddWithValue("intent", rows.Select(r => r.Row.Intent).ToArray());
        cmd.Parameters.AddWithValue("kind", rows.Select(r => r.Row.Kind).ToArray());
        cmd.Parameters.AddWithValue("status", rows.Select(r => r.Row.Status).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("regions", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => JsonSerializer.Serialize(r.Row.Regions)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("devices", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => JsonSerializer.Serialize(r.Row.Devices)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.CreatedAt.UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("updated", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Row.UpdatedAt.UtcDateTime).ToArray() });
        cmd.Parameters.AddWithValue("ver", rows.Select(r => r.Row.StateVersion).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Row.Document).ToArray() });
        sql.BatchCommands.Add(cmd);
    }

    // One row per key, the highest version: an upsert may not touch the same row twice in one statement.
    // The device runs its intended config (the grain shares the object then): the row keeps one copy.
    private static bool ObservedIsIntended(DeviceConfigRow config) => ReferenceEquals(config.Observed, config.Intended);

    // The latest row of each key; merge sees the rows of that key in the batch, oldest first, and makes the row written.
    private static List<(string Tenant, T Row)> Latest<T>(
        IEnumerable<(string Tenant, T Row)> rows, Func<T, string> key, Func<T, long> version, Func<IReadOnlyList<T>, T>? merge = null) =>
        rows.GroupBy(r => (r.Tenant, key(r.Row)))
            .Select(g => merge is null ? g.MaxBy(r => version(r.Row)) : (g.Key.Tenant, merge([.. g.Select(r => r.Row).OrderBy(version)])))
            .ToList();

    // A device row that leaves its configs out takes them from an earlier row of the same batch that carries them: they
    // are the ones it left out.
    private static DeviceRow CarryConfigs(IReadOnlyList<DeviceRow> rows)
    {
        var latest = rows[^1];
        return latest.Config is { WithConfigs: false } config && rows.Select(r => r.Config).LastOrDefault(c => c is { WithConfigs: true }) is { } carried
            ? latest with { Config = config with { Intended = carried.Intended, Observed = carried.Observed, WithConfigs = true } }
            : latest;
    }

    private sealed record Pending(ProjectionWork? Work, GrainStateWrite? State, TaskCompletionSource<(IReadOnlyList<TopologyEvent> Events, int Version)> Completion);
}
