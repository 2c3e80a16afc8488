using Microsoft.Extensions.Options;
using Pdsno.Storage.Telemetry;

namespace Pdsno.Silo.Analytics;

/// <summary>How long interface history is kept.</summary>
public sealed class HistoryRetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Analytics";

    /// <summary>Whole days of history kept; older days are dropped a partition at a time. Forecasts read 28 days.</summary>
    public int HistoryRetentionDays { get; set; } = 35;
}

/// <summary>Drops the days of interface history older than the retention, at start and every hour after.</summary>
public sealed partial class HistoryRetention(InterfaceHistoryStore store, IOptions<HistoryRetentionOptions> options, TimeProvider time, ILogger<HistoryRetention> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var before = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-options.Value.HistoryRetentionDays);
                var dropped = await store.DropBeforeAsync(before, stoppingToken);
                if (dropped > 0)
                {
                    LogDropped(dropped, before);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Retention waits for the next round; nothing else depends on it.
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Interface history: dropped {Days} days before {Before}")]
    private partial void LogDropped(int days, DateOnly before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interface history retention failed; it runs again within the hour")]
    private partial void LogFailed(Exception ex);
}
