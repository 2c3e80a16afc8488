using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Pdsno.Grains.History;
using Pdsno.Storage.Telemetry;

namespace Pdsno.Silo.Analytics;

/// <summary>How live interface history is batched (configuration section <c>Analytics</c>).</summary>
public sealed class HistoryWriterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Analytics";

    /// <summary>How often the finished minutes are written: one statement per batch, whatever the number of interfaces.</summary>
    public TimeSpan HistoryFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most minutes waiting for a write; beyond it new minutes are dropped (and counted), so a store that is down cannot exhaust memory.</summary>
    public int HistoryMaxPending { get; set; } = 1_000_000;

    /// <summary>The most minutes one statement writes.</summary>
    public int HistoryBatchSize { get; set; } = 20_000;
}

/// <summary>
/// Collects the minutes device grains finish and writes them in batches: a statement per batch of up to
/// <see cref="HistoryWriterOptions.HistoryBatchSize"/> minutes every <see cref="HistoryWriterOptions.HistoryFlushInterval"/>,
/// so 20,000 interfaces cost a few statements a minute, far inside the write budget. A failed batch is kept and tried
/// again at the next flush; what does not fit is dropped and counted, never waited for.
/// </summary>
public sealed partial class HistoryWriter(InterfaceHistoryStore store, IOptions<HistoryWriterOptions> options, ILogger<HistoryWriter> logger) : BackgroundService, IHistoryRecorder
{
    private static readonly Meter Meter = new("Pdsno.Analytics");
    private static readonly Counter<long> Written = Meter.CreateCounter<long>("pdsno_history_minutes_written", description: "Interface minutes written to the history");
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("pdsno_history_minutes_dropped", description: "Interface minutes dropped because the history could not keep up");
    private readonly ConcurrentQueue<(string Tenant, HistoryMinute Minute)> _pending = new();
    private int _count;

    /// <summary>Minutes waiting for a write.</summary>
    public int Pending => Volatile.Read(ref _count);

    /// <inheritdoc />
    public void Record(string tenant, IReadOnlyList<HistoryMinute> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        foreach (var m in minutes)
        {
            if (Interlocked.Increment(ref _count) > options.Value.HistoryMaxPending)
            {
                Interlocked.Decrement(ref _count);
                Dropped.Add(1);
                continue;
            }

            _pending.Enqueue((tenant, m));
        }
    }

    /// <summary>Writes what is pending now; returns the minutes written.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var total = 0;
        var batch = new List<(string, HistoryMinute)>(Math.Min(Pending, options.Value.HistoryBatchSize));
        while (!_pending.IsEmpty)
        {
            batch.Clear();
            while (batch.Count < options.Value.HistoryBatchSize && _pending.TryPeek(out var next))
            {
                batch.Add(next);
                _pending.TryDequeue(out _);
            }

            try
            {
                await store.AppendAsync(batch, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Back in the queue (behind newer minutes, which the table does not mind) for the next flush.
                foreach (var item in batch)
                {
                    _pending.Enqueue(item);
                }

                LogFailed(ex, batch.Count);
                return total;
            }

            Interlocked.Add(ref _count, -batch.Count);
            Written.Add(batch.Count);
            total += batch.Count;
        }

        return total;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HistoryFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // The last minutes of a silo that stops are written, within the time the host gives.
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interface history: {Minutes} minutes could not be written; they are tried again at the next flush")]
    private partial void LogFailed(Exception ex, int minutes);
}
