using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Live;

/// <summary>
/// This silo's in-memory tail of each tenant's event log: one reader per tenant fills it once per event, however many
/// subscribers the silo serves, and every live subscriber is served from it. A subscriber whose cursor is older than
/// the tail reads the log itself, in pages, until it reaches the tail.
/// </summary>
public sealed partial class EventTail(TopologyReader reader, TopologySignals signals, NpgsqlDataSource dataSource, ILogger<EventTail> logger) : IDisposable
{
    /// <summary>How many recent events a tenant's tail keeps.</summary>
    public const int Capacity = 8192;

    private readonly ConcurrentDictionary<string, Lazy<Task<TenantTail>>> _tenants = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The tail of a tenant, started on first use.</summary>
    public Task<TenantTail> ForTenantAsync(string tenant) =>
        _tenants.GetOrAdd(tenant, t => new Lazy<Task<TenantTail>>(() => StartAsync(t))).Value;

    /// <summary>Stops every tenant's reader.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task<TenantTail> StartAsync(string tenant)
    {
        try
        {
            var signal = await signals.ForTenantAsync(tenant);
            var tail = new TenantTail(Capacity, await LastSequenceAsync(tenant, _stopping.Token));
            _ = Task.Run(() => FillAsync(tenant, tail, signal, _stopping.Token));
            return tail;
        }
        catch
        {
            // The next subscriber tries again rather than finding a tail that never started.
            _tenants.TryRemove(tenant, out _);
            throw;
        }
    }

    // Reads everything after the tail's head whenever the topology stream signals (or once a second, since a memory
    // stream may lose a signal), unfiltered, so one read serves every subscriber of the silo.
    private async Task FillAsync(string tenant, TenantTail tail, TenantSignal signal, CancellationToken cancellationToken)
    {
        const int PageSize = 1000;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var seen = signal.Version;
                IReadOnlyList<EventRecord> page;
                do
                {
                    page = await reader.ReadEventsAsync(tenant, new EventQuery(Since: tail.Head), PageSize, cancellationToken);
                    tail.Append(page);
                }
                while (page.Count == PageSize);

                await signal.WaitAsync(seen, EventFollower.PollFallback, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Subscribers wait, late but never wrong; the log is read again from the same head.
                LogReadFailed(logger, ex, tenant);
                await Task.Delay(EventFollower.PollFallback, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>The last sequence in a tenant's log now (0 when empty).</summary>
    internal async Task<long> LastSequenceAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM events WHERE tenant = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event tail of tenant {Tenant} could not read the log; it tries again")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string tenant);
}

/// <summary>
/// The recent events of one tenant's log, in sequence order: every event with a sequence in (<see cref="CoveredFrom"/>,
/// <see cref="Head"/>] is held, nothing older once the ring is full.
/// </summary>
public sealed class TenantTail
{
    private readonly Lock _gate = new();
    private readonly EventRecord[] _ring;
    private int _start;
    private int _count;
    private long _head;
    private long _coveredFrom;

    /// <summary>An empty tail that starts at <paramref name="head"/> (events up to it are read from the log).</summary>
    public TenantTail(int capacity, long head)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new EventRecord[capacity];
        _head = head;
        _coveredFrom = head;
    }

    /// <summary>Pulsed after every append.</summary>
    public TenantSignal Changed { get; } = new();

    /// <summary>The last sequence the tail has read.</summary>
    public long Head
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    /// <summary>Events after this sequence are all held (up to <see cref="Head"/>).</summary>
    public long CoveredFrom
    {
        get
        {
            lock (_gate)
            {
                return _coveredFrom;
            }
        }
    }

    /// <summary>Adds events read from the log after <see cref="Head"/>, in order; the oldest fall out when the ring is full.</summary>
    public void Append(IReadOnlyList<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var e in events)
            {
                if (e.Sequence <= _head)
                {
                    continue;
                }

                if (_count == _ring.Length)
                {
                    _coveredFrom = _ring[_start].Sequence;
                    _start = (_start + 1) % _ring.Length;
                    _count--;
                }

                _ring[(_start + _count) % _ring.Length] = e;
                _count++;
                _head = e.Sequence;
            }
        }

        Changed.Pulse();
    }

    /// <summary>
    /// Adds the events after <paramref name="cursor"/> that match <paramref name="filter"/> to <paramref name="into"/>
    /// and moves the cursor to <see cref="Head"/>; false (and nothing added) when the tail no longer holds everything
    /// after the cursor, so the caller must read the log up to <paramref name="head"/> first.
    /// </summary>
    public bool TryTake(ref long cursor, EventQuery filter, List<EventRecord> into, out long head)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(into);
        lock (_gate)
        {
            head = _head;
            if (cursor < _coveredFrom)
            {
                return false;
            }

            for (var i = First(cursor); i < _count; i++)
            {
                var e = _ring[(_start + i) % _ring.Length];
                if (filter.Matches(e))
                {
                    into.Add(e);
                }
            }

            cursor = Math.Max(cursor, _head);
            return true;
        }
    }

    // The ring position of the first event after the cursor: a binary search, as sequences increase along the ring.
    private int First(long cursor)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ring[(_start + mid) % _ring.Length].Sequence <= cursor)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
