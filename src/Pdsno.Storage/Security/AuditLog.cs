using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Projection;

namespace Pdsno.Storage.Security;

/// <summary>
/// Writes the audit trail into the tenant's event log. Token and tenant administration is written before the
/// action is reported done (<see cref="WriteAsync"/>). Refusals (<see cref="Refused"/>) can arrive in floods, and the
/// database commits a couple of thousand writes a second here, so identical refusals within half a second become
/// one event that says how many there were, and a flood beyond the buffer is counted in the log, not stored.
/// Every entry is also appended to the tenant's hash-chained audit trail (<see cref="IAuditChain"/>), coalesced alike.
/// </summary>
public sealed partial class AuditLog : IAuditTrail, IAsyncDisposable
{
    private const int MaxDistinctPerFlush = 10_000;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    private readonly IProjectionWriter _writer;
    private readonly IAuditChain _chain;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;
    private readonly Channel<AuditEntry> _refusals = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(MaxDistinctPerFlush * 4)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly Task _loop;
    private long _dropped;

    /// <summary>Starts the loop that writes refusals.</summary>
    public AuditLog(IProjectionWriter writer, IAuditChain chain, TimeProvider time, ILogger<AuditLog> logger)
    {
        _writer = writer;
        _chain = chain;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <inheritdoc />
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _writer.CommitAsync(new ProjectionWork(entry.Tenant, [Draft(entry, entry.Detail)]), cancellationToken);
        await _chain.AppendAsync([Chained(entry, entry.Detail)], cancellationToken);
    }

    /// <inheritdoc />
    public void Refused(string tenant, TopologyEventType type, string actor, string detail)
    {
        // A full queue is a flood: it is counted and logged by the writer loop, never waited on.
        if (!_refusals.Writer.TryWrite(new AuditEntry(tenant, type, actor, detail)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _refusals.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var pending = new Dictionary<AuditEntry, int>();
        while (await _refusals.Reader.WaitToReadAsync())
        {
            // Let a burst gather so identical refusals become one event.
            await Task.Delay(FlushInterval, _time);

            pending.Clear();
            while (pending.Count < MaxDistinctPerFlush && _refusals.Reader.TryRead(out var entry))
            {
                pending[entry] = pending.GetValueOrDefault(entry) + 1;
            }

            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0)
            {
                LogDropped(_logger, dropped);
            }

            foreach (var tenant in pending.GroupBy(p => p.Key.Tenant, StringComparer.Ordinal))
            {
                var details = tenant.Select(p => (Entry: p.Key, Detail: p.Value == 1 ? p.Key.Detail : $"{p.Key.Detail} ({p.Value} times)")).ToList();
                var drafts = details.Select(d => Draft(d.Entry, d.Detail)).ToList();
                try
                {
                    await _writer.CommitAsync(new ProjectionWork(tenant.Key, drafts));
                    await _chain.AppendAsync([.. details.Select(d => Chained(d.Entry, d.Detail))]);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogWriteFailed(_logger, ex, drafts.Count, tenant.Key);
                }
            }
        }
    }

    private EventDraft Draft(AuditEntry entry, string detail) =>
        new(entry.Type, "audit/" + Guid.NewGuid().ToString("N"), 0, 0, entry.Region, null, null, null, null, detail, _time.GetUtcNow(), entry.Actor);

    private static AuditRecordDraft Chained(AuditEntry entry, string detail) =>
        new(entry.Tenant, entry.Actor, entry.Type.ToString(), entry.Region ?? "", Outcome(entry.Type), detail);

    private static string Outcome(TopologyEventType type) => type switch
    {
        TopologyEventType.AuthenticationFailed => "UNAUTHENTICATED",
        TopologyEventType.PermissionDenied => "FORBIDDEN",
        _ => AuditRecordDraft.Ok,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: {Count} refusals arrived faster than they can be recorded and were only counted")]
    private static partial void LogDropped(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit: {Count} refusals of tenant {Tenant} could not be written")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, string tenant);
}
