using Npgsql;
using NpgsqlTypes;
using Pdsno.Storage.ReadModel;

namespace Pdsno.Webhooks.Storage;

/// <summary>
/// The webhooks of every tenant, their cursors, leases and delivery attempts in PostgreSQL. Every statement is scoped
/// by tenant; the secret is read only by the delivery loop (<see cref="LoadLeasedAsync"/>).
/// </summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "tenant, webhook, url, event_types, regions, max_events, max_delay_ms, status, delivered_seq, failed_attempts, next_attempt_at, last_error, created_at, created_by, generation";
    private const string DeliveryColumns = "id, webhook, first_seq, last_seq, event_count, attempt, status_code, error, succeeded, started_at, duration_ms";

    /// <summary>Stores a new webhook whose cursor is the tenant's last event; null when the tenant has <paramref name="maxPerTenant"/> already.</summary>
    public async Task<WebhookRecord?> CreateAsync(string tenant, string id, WebhookSpec spec, string secret, string createdBy, int maxPerTenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO webhooks (tenant, webhook, url, event_types, regions, secret, max_events, max_delay_ms, status, delivered_seq, created_by)
            SELECT @tenant, @id, @url, @types, @regions, @secret, @max_events, @max_delay, 'ACTIVE',
                   (SELECT coalesce(max(seq), 0) FROM events WHERE tenant = @tenant), @by
            WHERE (SELECT count(*) FROM webhooks WHERE tenant = @tenant) < @limit
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("url", spec.Url);
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = spec.EventTypes.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("regions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = spec.Regions.ToArray() });
        command.Parameters.AddWithValue("secret", secret);
        command.Parameters.AddWithValue("max_events", spec.MaxEvents);
        command.Parameters.AddWithValue("max_delay", spec.MaxDelayMs);
        command.Parameters.AddWithValue("by", createdBy);
        command.Parameters.AddWithValue("limit", maxPerTenant);
        return await SingleAsync(command, cancellationToken);
    }

    /// <summary>The tenant's webhooks, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookRecord>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhooks WHERE tenant = @tenant ORDER BY created_at, webhook");
        command.Parameters.AddWithValue("tenant", tenant);
        var rows = new List<WebhookRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    /// <summary>One webhook of the tenant, or null.</summary>
    public async Task<WebhookRecord?> GetAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhooks WHERE tenant = @tenant AND webhook = @id");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        return await SingleAsync(command, cancellationToken);
    }

    /// <summary>Pauses a webhook; its cursor stays where it is.</summary>
    public Task<WebhookRecord?> PauseAsync(string tenant, string id, CancellationToken cancellationToken) =>
        UpdateAsync(tenant, id, "status = 'PAUSED'", null, cancellationToken);

    /// <summary>Delivers again from the cursor, with a fresh count of attempts.</summary>
    public Task<WebhookRecord?> ResumeAsync(string tenant, string id, CancellationToken cancellationToken) =>
        UpdateAsync(tenant, id, "status = 'ACTIVE', failed_attempts = 0, next_attempt_at = NULL, generation = generation + 1", null, cancellationToken);

    /// <summary>Moves the cursor back so delivery starts again at <paramref name="fromSequence"/>, and makes the webhook active.</summary>
    public Task<WebhookRecord?> RedeliverAsync(string tenant, string id, long fromSequence, CancellationToken cancellationToken) =>
        UpdateAsync(
            tenant,
            id,
            "status = 'ACTIVE', delivered_seq = @from - 1, failed_attempts = 0, next_attempt_at = NULL, last_error = NULL, generation = generation + 1",
            c => c.Parameters.AddWithValue("from", fromSequence),
            cancellationToken);

    /// <summary>Deletes a webhook and its delivery history; false when there was none such.</summary>
    public async Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhooks WHERE tenant = @tenant AND webhook = @id");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Renews this silo's leases and claims active webhooks whose lease lapsed (their silo died or let go); answers
    /// every active webhook leased to <paramref name="owner"/> afterwards. Leases of webhooks that stopped being active are let go.
    /// </summary>
    public async Task<IReadOnlyList<(string Tenant, string Id)>> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var release = new NpgsqlBatchCommand("UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner AND status <> 'ACTIVE'");
        release.Parameters.AddWithValue("owner", owner);
        var claim = new NpgsqlBatchCommand("""
            UPDATE webhooks SET lease_owner = @owner, lease_until = now() + @lease
            WHERE status = 'ACTIVE' AND (lease_owner = @owner OR lease_owner IS NULL OR lease_until IS NULL OR lease_until < now())
            RETURNING tenant, webhook
            """);
        claim.Parameters.AddWithValue("owner", owner);
        claim.Parameters.AddWithValue("lease", lease);
        // The claim's rows come first; the release runs as the reader is disposed.
        batch.BatchCommands.Add(claim);
        batch.BatchCommands.Add(release);
        var owned = new List<(string, string)>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owned.Add((reader.GetString(0), reader.GetString(1)));
        }

        return owned;
    }

    /// <summary>Lets go of every lease of <paramref name="owner"/> (a silo shutting down), so another silo takes over at once.</summary>
    public async Task ReleaseAsync(string owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner");
        command.Parameters.AddWithValue("owner", owner);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An active webhook with its secret, while <paramref name="owner"/> holds its lease; null otherwise.</summary>
    public async Task<(WebhookRecord Webhook, string Secret)?> LoadLeasedAsync(string tenant, string id, string owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, secret FROM webhooks WHERE tenant = @tenant AND webhook = @id AND lease_owner = @owner AND status = 'ACTIVE'");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("owner", owner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Read(reader), reader.GetString(15)) : null;
    }

    /// <summary>
    /// Records an attempt and moves the webhook on: past the delivery's last sequence when it succeeded, else one failed
    /// attempt more (DEAD_LETTER at <paramref name="maxAttempts"/>, otherwise retried at <paramref name="retryAt"/>). The
    /// webhook moves only while <paramref name="owner"/> holds its lease and nobody resumed or redelivered it since it was
    /// loaded; answers whether it moved.
    /// </summary>
    public async Task<bool> RecordAsync(WebhookRecord webhook, string owner, WebhookDelivery delivery, int maxAttempts, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(delivery);
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand($"""
            INSERT INTO webhook_deliveries (tenant, webhook, first_seq, last_seq, event_count, attempt, status_code, error, succeeded, started_at, duration_ms)
            SELECT @tenant, @id, @first, @last, @count, @attempt, @code, @error, @ok, @started, @duration
            WHERE EXISTS (SELECT 1 FROM webhooks WHERE tenant = @tenant AND webhook = @id)
            """);
        insert.Parameters.AddWithValue("tenant", webhook.Tenant);
        insert.Parameters.AddWithValue("id", webhook.Id);
        insert.Parameters.AddWithValue("first", delivery.FirstSequence);
        insert.Parameters.AddWithValue("last", delivery.LastSequence);
        insert.Parameters.AddWithValue("count", delivery.EventCount);
        insert.Parameters.AddWithValue("attempt", delivery.Attempt);
        insert.Parameters.AddWithValue("code", (object?)delivery.StatusCode ?? DBNull.Value);
        insert.Parameters.AddWithValue("error", (object?)delivery.Error ?? DBNull.Value);
        insert.Parameters.AddWithValue("ok", delivery.Succeeded);
        insert.Parameters.AddWithValue("started", delivery.StartedAt);
        insert.Parameters.AddWithValue("duration", delivery.DurationMs);
        var move = new NpgsqlBatchCommand(delivery.Succeeded
            ? """
              UPDATE webhooks SET delivered_seq = @last, failed_attempts = 0, next_attempt_at = NULL, last_error = NULL
              WHERE tenant = @tenant AND webhook = @id AND lease_owner = @owner AND generation = @generation AND status = 'ACTIVE'
              """
            : """
              UPDATE webhooks SET failed_attempts = failed_attempts + 1, last_error = @error, next_attempt_at = @retry,
                     status = CASE WHEN failed_attempts + 1 >= @max THEN 'DEAD_LETTER' ELSE status END
              WHERE tenant = @tenant AND webhook = @id AND lease_owner = @owner AND generation = @generation AND status = 'ACTIVE'
              """);
        move.Parameters.AddWithValue("tenant", webhook.Tenant);
        move.Parameters.AddWithValue("id", webhook.Id);
        move.Parameters.AddWithValue("owner", owner);
        move.Parameters.AddWithValue("generation", webhook.Generation);
        move.Parameters.AddWithValue("last", delivery.LastSequence);
        move.Parameters.AddWithValue("error", (object?)(delivery.Error ?? (delivery.StatusCode is { } code ? $"HTTP {code}" : null)) ?? DBNull.Value);
        move.Parameters.AddWithValue("retry", (object?)retryAt ?? DBNull.Value);
        move.Parameters.AddWithValue("max", maxAttempts);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(move);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return move.RecordsAffected > 0;
    }

    /// <summary>A keyset page of a webhook's delivery attempts, oldest first; page keys are attempt ids.</summary>
    public async Task<KeysetResult<WebhookDelivery>> ReadDeliveriesPageAsync(string tenant, string webhook, KeysetPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var sql = $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE tenant = @tenant AND webhook = @webhook"
            + (page.After is null ? "" : " AND id > @after")
            + (page.Before is null ? "" : " AND id < @before")
            + (page.FromEnd ? " ORDER BY id DESC" : " ORDER BY id") + " LIMIT @limit";
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("webhook", webhook);
        if (page.After is not null)
        {
            command.Parameters.AddWithValue("after", long.Parse(page.After, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (page.Before is not null)
        {
            command.Parameters.AddWithValue("before", long.Parse(page.Before, System.Globalization.CultureInfo.InvariantCulture));
        }

        command.Parameters.AddWithValue("limit", page.Limit + 1);
        var rows = new List<WebhookDelivery>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new WebhookDelivery(
                    reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetBoolean(8),
                    reader.GetFieldValue<DateTimeOffset>(9), reader.GetInt32(10)));
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

        return new KeysetResult<WebhookDelivery>(rows, hasMore);
    }

    /// <summary>How many delivery attempts a webhook has.</summary>
    public async Task<int> CountDeliveriesAsync(string tenant, string webhook, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM webhook_deliveries WHERE tenant = @tenant AND webhook = @webhook");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("webhook", webhook);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<WebhookRecord?> UpdateAsync(string tenant, string id, string set, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"UPDATE webhooks SET {set} WHERE tenant = @tenant AND webhook = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        bind?.Invoke(command);
        return await SingleAsync(command, cancellationToken);
    }

    private static async Task<WebhookRecord?> SingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static WebhookRecord Read(NpgsqlDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetFieldValue<string[]>(3),
            r.GetFieldValue<string[]>(4),
            r.GetInt32(5),
            r.GetInt32(6),
            r.GetString(7) switch
            {
                "PAUSED" => WebhookStatus.Paused,
                "DEAD_LETTER" => WebhookStatus.DeadLetter,
                _ => WebhookStatus.Active,
            },
            r.GetInt64(8),
            r.GetInt32(9),
            r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
            r.IsDBNull(11) ? null : r.GetString(11),
            r.GetFieldValue<DateTimeOffset>(12),
            r.GetString(13),
            r.GetInt64(14));
}
