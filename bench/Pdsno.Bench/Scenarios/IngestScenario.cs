using System.Diagnostics;
using Pdsno.Abstractions.Ids;
using Pdsno.Bench.Grains;
using Pdsno.Bench.Hosting;
using Pdsno.Bench.Workload;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario 1: discovery batches published on each region's discovery stream, reconciled by the region
/// grains and applied by the device grains. The first cycle persists the network; the figure is the
/// steady rate of interface observations device grains finish afterwards, with the pipeline kept full.
/// Then the raw grain-call rate of the same silo, for scale.
/// </summary>
internal static class IngestScenario
{
    private const string Tenant = "bench-ingest";
    private const string Controller = "bench-lc";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var model = ObservationFactory.Model(options.Seed, options.IngestDevices, options.IngestRegions);
        var now = DateTimeOffset.UtcNow;
        var regions = model.Regions.Select(r => new RegionId(Tenant, r).ToString()).ToList();
        long devicesPerCycle = 0, interfacesPerCycle = 0, batchesPerCycle = 0;
        foreach (var region in model.Regions)
        {
            var observations = ObservationFactory.ForRegion(model, region, now);
            silo.Workload.Set(new RegionId(Tenant, region).ToString(), observations);
            devicesPerCycle += observations.Length;
            interfacesPerCycle += observations.Sum(o => o.Interfaces.Length);
            batchesPerCycle += (observations.Length / BenchPublisherGrain.BatchSize) + 1;
        }

        Report.Note($"ingest: {devicesPerCycle} devices, {interfacesPerCycle} interfaces, {regions.Count} regions, {batchesPerCycle} batches of <= {BenchPublisherGrain.BatchSize} per cycle, published by bench grains on the discovery streams, up to {options.IngestInFlight} cycles in flight");
        var calls = silo.Calls;
        var deliveriesAtStart = calls.RegionDeliveries;
        long cycle = 0;

        Task PublishCycleAsync(long c) =>
            Task.WhenAll(regions.Select(r => silo.Grains.GetGrain<IBenchPublisherGrain>(r).PublishCycleAsync(Controller, c)));

        bool CycleDone(long c) => calls.RegionDeliveries - deliveriesAtStart >= c * batchesPerCycle;

        var first = Stopwatch.StartNew();
        await PublishCycleAsync(++cycle);
        if (!await Wait.UntilAsync(() => CycleDone(1), TimeSpan.FromMinutes(3)))
        {
            throw new TimeoutException($"the first ingest cycle did not finish in 3 minutes ({calls.RegionDeliveries - deliveriesAtStart} of {batchesPerCycle} batches, {calls.DeviceObservations} observations)");
        }

        report.Figure("ingest.first_cycle_persisting_seconds", first.Elapsed.TotalSeconds, "s");
        Report.Progress("ingest: first cycle persisted; warming up");

        // One unmeasured no-change cycle so JIT tiering and activations are settled.
        await PublishCycleAsync(++cycle);
        await Wait.UntilAsync(() => CycleDone(cycle), TimeSpan.FromMinutes(2));

        // Keep the pipeline full: up to --ingest-inflight cycles are published and not yet finished.
        using var stop = new CancellationTokenSource();
        var pump = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var next = cycle + 1;
                await Wait.UntilAsync(() => CycleDone(next - options.IngestInFlight) || stop.IsCancellationRequested, TimeSpan.FromMinutes(2), 2);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await PublishCycleAsync(next);
                cycle = next;
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        var interfaces0 = calls.InterfaceObservations;
        var devices0 = calls.DeviceObservations;
        var failed0 = calls.FailedObservations;
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var window = Stopwatch.StartNew();
        Report.Progress($"ingest: measuring for {options.IngestSeconds} s");
        await Task.Delay(TimeSpan.FromSeconds(options.IngestSeconds));
        var seconds = window.Elapsed.TotalSeconds;
        var interfaces = calls.InterfaceObservations - interfaces0;
        var devices = calls.DeviceObservations - devices0;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var gen0s = GC.CollectionCount(0) - gen0;
        var gen2s = GC.CollectionCount(2) - gen2;
        await stop.CancelAsync();
        await pump;
        await Wait.UntilAsync(() => CycleDone(cycle), TimeSpan.FromMinutes(2));

        report.Figure("ingest.interface_observations_per_second", interfaces / seconds, "/s", ">= 50000 /s");
        report.Figure("ingest.device_observations_per_second", devices / seconds, "/s");
        report.Figure("ingest.measured_window_seconds", seconds, "s");
        report.Figure("ingest.process_cpu_utilisation", cpu / seconds / Report.Cores * 100, "%");
        Report.Note($"ingest: {cycle} cycles in all, {calls.FailedObservations - failed0} failed observations in the window, GC gen0={gen0s} gen2={gen2s} in the window");
        silo.Workload.Clear();

        await PingAsync(silo, options, report);
    }

    private static async Task PingAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        const int GrainCount = 1024;
        var concurrency = 128 * Report.Cores;
        var pings = Enumerable.Range(0, GrainCount).Select(i => silo.Grains.GetGrain<IBenchPingGrain>(i)).ToArray();
        await Task.WhenAll(pings.Select(p => p.PingAsync(0)));
        long count = 0;
        var warm = true;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.PingSeconds + 1));
        var sw = new Stopwatch();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var i = w;
            while (!stop.IsCancellationRequested)
            {
                await pings[i++ % GrainCount].PingAsync(i);
                if (!Volatile.Read(ref warm))
                {
                    Interlocked.Increment(ref count);
                }
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Volatile.Write(ref warm, false);
        sw.Start();
        await Task.Delay(TimeSpan.FromSeconds(options.PingSeconds));
        var measured = Interlocked.Read(ref count);
        var seconds = sw.Elapsed.TotalSeconds;
        await Task.WhenAll(workers);
        report.Figure("ingest.raw_grain_calls_per_second", measured / seconds, "/s");
        Report.Note($"raw grain calls: Task<int> PingAsync(int) on {GrainCount} grains, {concurrency} callers in parallel from outside grain context, {seconds:0.0} s, same silo");
    }
}
