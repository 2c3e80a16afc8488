using System.Collections.Concurrent;
using System.Diagnostics;
using Pdsno.Abstractions.Events;

namespace Pdsno.Bench.Hosting;

/// <summary>
/// Pairs the moment an event became durable (or was stamped by a bench publisher) with the moment a
/// subscriber received it, by tenant and sequence. Timestamps are <see cref="Stopwatch"/> ticks.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<(string Tenant, long Sequence), long> _stamps = new();
    private readonly ConcurrentQueue<Receipt> _receipts = new();

    public int ReceivedCount => _receipts.Count;

    public void Stamp(string tenant, long sequence, long timestamp) => _stamps[(tenant, sequence)] = timestamp;

    public void Received(TopologyEvent e) => _receipts.Enqueue(new Receipt(e, Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow));

    public IReadOnlyList<Receipt> Receipts(string tenant) => _receipts.Where(r => r.Event.Tenant == tenant).ToList();

    /// <summary>Milliseconds from stamp to receipt for every received event of the tenant that has a stamp.</summary>
    public List<double> StampToReceiptMs(string tenant) =>
        _receipts.Where(r => r.Event.Tenant == tenant)
            .Select(r => _stamps.TryGetValue((tenant, r.Event.Sequence), out var at) ? Stopwatch.GetElapsedTime(at, r.At).TotalMilliseconds : double.NaN)
            .Where(ms => !double.IsNaN(ms))
            .ToList();

    /// <summary>Milliseconds from stamp to receipt for receipts recorded elsewhere (sequence to Stopwatch ticks).</summary>
    public List<double> StampsToMs(string tenant, IEnumerable<KeyValuePair<long, long>> receipts) =>
        receipts.Select(r => _stamps.TryGetValue((tenant, r.Key), out var at) ? Stopwatch.GetElapsedTime(at, r.Value).TotalMilliseconds : double.NaN)
            .Where(ms => !double.IsNaN(ms))
            .ToList();

    public sealed record Receipt(TopologyEvent Event, long At, DateTimeOffset AtUtc);
}
