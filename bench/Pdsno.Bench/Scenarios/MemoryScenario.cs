using System.Diagnostics;
using System.Runtime;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Bench.Hosting;
using Pdsno.Bench.Workload;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario 4: activates one device grain per device of a generated network by calling ObserveAsync with
/// the observation the simulated driver would make (so each grain persists its state, projection and
/// DeviceAdded event for real), then forces a full GC and reads the managed heap and working set.
/// </summary>
internal static class MemoryScenario
{
    private const string Tenant = "bench-memory";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var (heap0, ws0) = Measure();
        Report.Note($"memory: silo started, before activation: managed heap {heap0 / Mib:0} MiB, working set {ws0 / Mib:0} MiB");

        var clock = Stopwatch.StartNew();
        var activated = await ActivateAsync(silo, options);
        var seconds = clock.Elapsed.TotalSeconds;
        report.Figure("memory.activation_seconds", seconds, "s");
        report.Figure("memory.activations_per_second", activated / seconds, "/s");

        var statistics = await silo.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var deviceGrains = statistics.Where(s => s.GrainType.Contains("DeviceGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        var all = statistics.Sum(s => s.ActivationCount);

        var (heap, ws) = Measure();
        report.Figure("memory.active_device_grains", deviceGrains, "grains");
        report.Figure("memory.managed_heap_mib", heap / Mib, "MiB", "whole process < 3072 MiB");
        report.Figure("memory.working_set_mib", ws / Mib, "MiB", "< 3072 MiB");
        report.Figure("memory.managed_bytes_per_device_grain", (heap - heap0) / (double)Math.Max(1, deviceGrains), "B");
        Report.Note($"memory: {all} activations in all; {(GCSettings.IsServerGC ? "server" : "workstation")} GC; figures after GC.Collect(2, forced, compacting) and GetTotalMemory(true)");
    }

    private const double Mib = 1024.0 * 1024.0;

    private static async Task<int> ActivateAsync(BenchSilo silo, BenchOptions options)
    {
        var model = ObservationFactory.Model(options.Seed, options.MemoryDevices, options.MemoryRegions);
        var done = 0;
        var failed = 0;
        using var progress = new Timer(_ => Report.Progress($"memory: {Volatile.Read(ref done)} of {options.MemoryDevices} device grains activated and persisted"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        foreach (var region in model.Regions)
        {
            var observations = ObservationFactory.ForRegion(model, region, DateTimeOffset.UtcNow);
            await Parallel.ForEachAsync(observations, new ParallelOptions { MaxDegreeOfParallelism = 512 }, async (o, _) =>
            {
                try
                {
                    await silo.Grains.GetGrain<IDeviceGrain>(DeviceId.ForChassis(Tenant, o.ChassisId).ToString()).ObserveAsync(region, o);
                    Interlocked.Increment(ref done);
                }
                catch (Exception ex) when (ex is TimeoutException or OrleansException)
                {
                    Interlocked.Increment(ref failed);
                }
            });
        }

        if (failed > 0)
        {
            Report.Note($"memory: {failed} observations failed");
        }

        return done;
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (heap, process.WorkingSet64);
    }
}
