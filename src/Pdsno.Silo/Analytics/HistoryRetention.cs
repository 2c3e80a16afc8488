using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;
using Pdsno.Storage.Telemetry;

namespace Pdsno.Silo.Analytics;

/// <summary>
/// Every hour (and at start): rolls the last hours of minutes up into the hourly history, then keeps each tenant's
/// history as long as its policy says. Days older than every tenant keeps are dropped a partition at a time; a tenant
/// keeping fewer days than others has its older rows deleted. Every silo runs it; all of it is idempotent.
/// </summary>
public sealed partial class HistoryRetention(InterfaceHistoryStore store, IGrainFactory grains, TimeProvider time, ILogger<HistoryRetention> logger) : BackgroundService
{
    /// <summary>How many finished hours each round rolls up again: minutes arrive up to a flush late, and a silo may have been down.</summary>
    public const int RollupHours = 3;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                await RunAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: the rollup of the last hours, then retention by each tenant's policy.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            await store.RollupAsync(now.AddHours(-RollupHours), now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A missed hour is rolled up again by the next rounds.
            LogFailed(ex, "rollup");
        }

        try
        {
            await TrimAsync(DateOnly.FromDateTime(now.UtcDateTime), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, "retention");
        }
    }

    private async Task TrimAsync(DateOnly today, CancellationToken ct)
    {
        var policies = new List<(string Tenant, AnalyticsPolicy Policy)>();
        using (CallerContext.AsSystem())
        {
            foreach (var tenant in await store.ListTenantsAsync(ct))
            {
                policies.Add((tenant, (await grains.GetGrain<IGlobalPolicyGrain>(tenant).GetPolicyAsync()).Analytics));
            }
        }

        foreach (var (table, days) in new (HistoryTable, Func<AnalyticsPolicy, int>)[] { (HistoryTable.Minutes, p => p.MinuteRetentionDays), (HistoryTable.Hours, p => p.HourlyRetentionDays) })
        {
            var longest = policies.Count == 0 ? days(AnalyticsPolicy.Default) : policies.Max(p => days(p.Policy));
            var dropped = await store.DropBeforeAsync(table, today.AddDays(-longest), ct);
            if (dropped > 0)
            {
                LogDropped(dropped, table, today.AddDays(-longest));
            }

            foreach (var (tenant, policy) in policies.Where(p => days(p.Policy) < longest))
            {
                await store.DeleteBeforeAsync(tenant, table, today.AddDays(-days(policy)), ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Interface history: dropped {Days} days of {Table} before {Before}")]
    private partial void LogDropped(int days, HistoryTable table, DateOnly before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interface history {Step} failed; it runs again within the hour")]
    private partial void LogFailed(Exception ex, string step);
}
