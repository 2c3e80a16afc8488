using Microsoft.Extensions.DependencyInjection.Extensions;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;
using Pdsno.Storage.ReadModel;

namespace Pdsno.Silo.Hosting;

/// <summary>The sweep that finishes executions a silo left halfway.</summary>
public static class ChangeRecoveryHosting
{
    /// <summary>Registers <see cref="ChangeRecovery"/>; every silo of a cluster runs it (resuming is idempotent).</summary>
    public static WebApplicationBuilder AddPdsnoChangeRecovery(this WebApplicationBuilder builder)
    {
        // A host without the API (a bench silo) has no statement counter of its own for the reader.
        builder.Services.TryAddSingleton<SqlStatementCounter>();
        builder.Services.TryAddSingleton<TopologyReader>();
        builder.Services.AddHostedService<ChangeRecovery>();
        return builder;
    }
}

/// <summary>
/// Finds, shortly after the silo starts and then every <see cref="Period"/>, the changes still executing or rolling
/// back and the devices locked by a change that is neither, and asks each change to resume: it finishes its apply or
/// its rollback from the stored step, or gives the lock back. A change still running in another call answers only
/// when that call is done, so a sweep never interleaves with a live execution. One read of the read model per sweep,
/// instead of a durable reminder written and deleted by every execution.
/// </summary>
internal sealed class ChangeRecovery(IGrainFactory grains, TopologyReader reader, ILogger<ChangeRecovery> logger) : BackgroundService
{
    private const int MaxPerSweep = 1_000;
    private static readonly TimeSpan FirstSweep = TimeSpan.FromSeconds(2);

    /// <summary>How often the read model is swept.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var system = CallerContext.AsSystem();
        try
        {
            await Task.Delay(FirstSweep, stoppingToken);
            using var timer = new PeriodicTimer(Period);
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<ChangeToResume> found;
        try
        {
            found = await reader.FindChangesToResumeAsync(MaxPerSweep, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The sweep for executions left halfway could not read the read model; it tries again in {Period}", Period);
            return;
        }

        await Task.WhenAll(found.Select(async f =>
        {
            try
            {
                await grains.GetGrain<IChangeGrain>(new ChangeId(f.Tenant, f.Change).ToString()).ResumeAsync(f.LockedDevice);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Change {Tenant}/{Change} could not resume; the next sweep tries again", f.Tenant, f.Change);
            }
        }));
    }
}
