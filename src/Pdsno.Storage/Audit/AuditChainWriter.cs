using System.Collections.Concurrent;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Pdsno.Abstractions.Security;

namespace Pdsno.Storage.Audit;

/// <summary>
/// Appends records to the tenants' chains. Appends of one tenant are group-committed: while a transaction of the
/// tenant is in flight, what arrives waits and goes into the next one, so a burst of thousands of records costs a
/// few commits, not thousands. Tenants do not wait for each other in a silo; across silos a tenant's appends
/// serialize on a transaction-scoped advisory lock, under which the head of the chain is read, so seq has no gap
/// and every record names the hash of the one before. Once a writer knows the head it appends after it in one
/// statement; the primary key (tenant, seq) turns a head moved by another silo into a collision, and the locked path
/// reads it again. A record is durable when its task completes.
/// </summary>
public sealed class AuditChainWriter(NpgsqlDataSource dataSource, TimeProvider time) : IAuditChain
{
    /// <summary>The advisory lock class of audit appends; the object is the hash of the tenant.</summary>
    private const int LockClass = 0x41554454; // "AUDT"
    private const int MaxRecordsPerTransaction = 5_000;
    private const int MaxAttempts = 5;

    private readonly ConcurrentDictionary<string, TenantQueue> _queues = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<AuditRecordDraft> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Once queued a record is written even when the caller stops waiting: the action it records has happened.
        var tasks = records.GroupBy(r => r.Tenant, StringComparer.Ordinal)
            .Select(g => Enqueue(g.Key, [.. g.Select(Clean)]))
            .ToList();
        var all = tasks.Count == 1 ? tasks[0] : Task.WhenAll(tasks);
        return cancellationToken.CanBeCanceled ? all.WaitAsync(cancellationToken) : all;
    }

    private Task Enqueue(string tenant, List<AuditRecordDraft> drafts)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var pending = new Pending(drafts, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var queue = _queues.GetOrAdd(tenant, t => new TenantQueue(t));
        bool start;
        lock (queue)
        {
            queue.Items.Add(pending);
            start = !queue.Flushing;
            queue.Flushing = true;
        }

        if (start)
        {
            _ = Task.Run(() => FlushAsync(queue));
        }

        return pending.Done.Task;
    }

    private async Task FlushAsync(TenantQueue queue)
    {
        while (true)
        {
            List<Pending> batch = [];
            lock (queue)
            {
                var count = 0;
                while (queue.Items.Count > 0 && (count == 0 || count + queue.Items[0].Drafts.Count <= MaxRecordsPerTransaction))
                {
                    count += queue.Items[0].Drafts.Count;
                    batch.Add(queue.Items[0]);
                    queue.Items.RemoveAt(0);
                }

                if (batch.Count == 0)
                {
                    queue.Flushing = false;
                    return;
                }
            }

            try
            {
                await WriteAsync(queue, batch.SelectMany(p => p.Drafts).ToList());
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    private async Task WriteAsync(TenantQueue queue, List<AuditRecordDraft> drafts)
    {
        // The head this writer wrote last is most likely still the head: one statement, no lock, no read. Another
        // writer that got there first makes the insert collide on (tenant, seq), and the locked path reads the head.
        if (queue.Head is { } known)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                queue.Head = await InsertAsync(connection, null, queue.Tenant, known, drafts);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                queue.Head = null;
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                queue.Head = await WriteLockedAsync(queue.Tenant, drafts);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && attempt < MaxAttempts)
            {
                // A writer on the fast path committed under our feet; the head is read again under the lock.
            }
        }
    }

    private async Task<ChainHead> WriteLockedAsync(string tenant, List<AuditRecordDraft> drafts)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var head = new ChainHead(0, AuditHash.Genesis.ToArray());
        await using (var read = new NpgsqlBatch(connection, tx))
        {
            read.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))") { Parameters = { new() { Value = LockClass }, new() { Value = tenant } } });
            read.BatchCommands.Add(new NpgsqlBatchCommand("SELECT seq, hash FROM audit_log WHERE tenant = $1 ORDER BY seq DESC LIMIT 1") { Parameters = { new() { Value = tenant } } });
            await using var reader = await read.ExecuteReaderAsync();
            await reader.NextResultAsync();
            if (await reader.ReadAsync())
            {
                head = new ChainHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
            }
        }

        var last = await InsertAsync(connection, tx, tenant, head, drafts);
        await tx.CommitAsync();
        return last;
    }

    // Chains the drafts after the head and inserts them in one statement; answers the new head.
    private async Task<ChainHead> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string tenant, ChainHead head, List<AuditRecordDraft> drafts)
    {
        var at = AuditHash.Truncate(time.GetUtcNow());
        var n = drafts.Count;
        var seqs = new long[n];
        var prevs = new byte[n][];
        var hashes = new byte[n][];
        var (seq, previous) = (head.Seq, head.Hash);
        for (var i = 0; i < n; i++)
        {
            var d = drafts[i];
            seqs[i] = ++seq;
            prevs[i] = previous;
            hashes[i] = AuditHash.Compute(previous, tenant, seq, at, d.Actor, d.Operation, d.Target, d.Outcome, d.Detail);
            previous = hashes[i];
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO audit_log (tenant, seq, at, actor, operation, target, outcome, detail, prev_hash, hash)
            SELECT $1, r.seq, $2, r.actor, r.operation, r.target, r.outcome, r.detail, r.prev_hash, r.hash
            FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bytea[])
                AS r(seq, actor, operation, target, outcome, detail, prev_hash, hash)
            """, connection, tx);
        insert.Parameters.Add(new() { Value = tenant });
        insert.Parameters.Add(new() { Value = at.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new() { Value = seqs });
        insert.Parameters.Add(new() { Value = drafts.Select(d => d.Actor).ToArray() });
        insert.Parameters.Add(new() { Value = drafts.Select(d => d.Operation).ToArray() });
        insert.Parameters.Add(new() { Value = drafts.Select(d => d.Target).ToArray() });
        insert.Parameters.Add(new() { Value = drafts.Select(d => d.Outcome).ToArray() });
        insert.Parameters.Add(new() { Value = drafts.Select(d => d.Detail).ToArray() });
        insert.Parameters.Add(new() { Value = prevs });
        insert.Parameters.Add(new() { Value = hashes });
        await insert.ExecuteNonQueryAsync();
        return new ChainHead(seq, previous);
    }

    /// <summary>What PostgreSQL can store and a reader can take in: no NUL characters, bounded lengths.</summary>
    public static AuditRecordDraft Clean(AuditRecordDraft draft) => new(
        draft.Tenant,
        Bound(draft.Actor, 200),
        Bound(draft.Operation, 200),
        Bound(draft.Target, 2_000),
        Bound(draft.Outcome, 200),
        Bound(draft.Detail, 4_000));

    private static string Bound(string? value, int max)
    {
        value ??= "";
        var span = value.AsSpan();
        if (span.Length <= max && !span.Contains('\0') && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return value;
        }

        // Rune by rune: a NUL or a lone surrogate becomes U+FFFD (one char, as before), and a cut never splits a pair.
        var builder = new StringBuilder(span.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            builder.Append((rune.Value == 0 ? Rune.ReplacementChar : rune).ToString());
        }

        if (builder.Length <= max)
        {
            return builder.ToString();
        }

        var cut = max - 1;
        if (char.IsLowSurrogate(builder[cut]))
        {
            cut--;
        }

        return string.Concat(builder.ToString(0, cut), "…");
    }

    private sealed record Pending(List<AuditRecordDraft> Drafts, TaskCompletionSource Done);

    private sealed class TenantQueue(string tenant)
    {
        public string Tenant { get; } = tenant;

        public List<Pending> Items { get; } = [];

        public bool Flushing { get; set; }

        /// <summary>The last record this writer appended for the tenant; only the tenant's flush loop touches it.</summary>
        public ChainHead? Head { get; set; }
    }

    private sealed record ChainHead(long Seq, byte[] Hash);
}
