using System.Diagnostics;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Simulation;
using Pdsno.Bench.Grains;
using Pdsno.Bench.Hosting;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario 2: the product path end to end. A simulated network is defined, every region is started (its
/// controller's first cycle runs from the reminder one second after configuration), and the clock runs
/// until the read model holds every device, the links and their events. Then settle cycles run on demand
/// and the PostgreSQL writes of a cycle that changes nothing are counted.
/// </summary>
internal static class DiscoveryScenario
{
    private const string Tenant = "bench";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var grains = silo.Grains;
        var db = new Database(silo.ConnectionString);
        var definition = await grains.GetGrain<ISimulatedNetworkGrain>(Tenant)
            .PutPartAsync(SimulatedNetworkPart.Generated("default", options.Seed, options.DiscoveryDevices, options.DiscoveryRegions));
        var model = SimulatedNetworkModel.Build(definition);
        var links = model.Links.ToList();
        var intraRegionLinks = links.Count(l => l.A.Region == l.B.Region);
        var totalLinks = links.Count;
        var devices = model.Devices.Length;
        var batchesPerCycle = model.Regions.Sum(r => (model.DevicesIn(r).Length / BenchPublisherGrain.BatchSize) + 1);
        Report.Note($"discovery: {devices} devices, {totalLinks} links ({totalLinks - intraRegionLinks} between regions), {model.Regions.Length} regions, 1 controller each, simulated driver");

        // A long interval: after the first cycle (due one second after configuration) the bench triggers cycles itself.
        await grains.GetGrain<IGlobalPolicyGrain>(Tenant).SetPolicyAsync(TimeSpan.FromHours(1), 3);
        var setup = new RegionSetup(["lc-1"], "simulated", []);
        var regionGrains = model.Regions.Select(r => grains.GetGrain<IRegionGrain>(new RegionId(Tenant, r).ToString())).ToList();
        var deliveries0 = silo.Calls.RegionDeliveries;

        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(regionGrains.Select(r => r.EnsureStartedAsync(setup)));
        double devicesAt = double.NaN;
        (long Devices, long Links, long Events, long Interfaces) counts = default;
        var complete = await Wait.UntilAsync(
            async () =>
            {
                counts = await db.CountsAsync(Tenant);
                if (double.IsNaN(devicesAt) && counts.Devices >= devices)
                {
                    devicesAt = clock.Elapsed.TotalSeconds;
                }

                return counts.Devices >= devices
                    && counts.Links >= intraRegionLinks
                    && counts.Events >= counts.Devices + counts.Links
                    && silo.Calls.RegionDeliveries - deliveries0 >= batchesPerCycle;
            },
            TimeSpan.FromMinutes(4),
            pollMs: 100);
        var total = clock.Elapsed.TotalSeconds;
        var firstCycleStarted = (await Task.WhenAll(model.Regions.Select(r =>
                grains.GetGrain<ILocalControllerGrain>(new ControllerId(new RegionId(Tenant, r), "lc-1").ToString()).GetStatusAsync())))
            .Select(s => s.LastCycleStarted ?? DateTimeOffset.MaxValue).Min();
        var fromCycle = (startedAt + TimeSpan.FromSeconds(total) - firstCycleStarted).TotalSeconds;
        if (!complete)
        {
            Report.Note($"discovery: NOT complete after {total:0.0} s: devices={counts.Devices}/{devices} links={counts.Links} events={counts.Events}");
        }

        report.Figure("discovery.first_discovery_persisted_seconds", fromCycle, "s", "<= 30 s");
        report.Figure("discovery.first_discovery_from_region_start_seconds", total, "s");
        report.Figure("discovery.all_devices_in_read_model_seconds", devicesAt - (total - fromCycle), "s");
        Report.Note($"discovery: first cycle left devices={counts.Devices} interfaces={counts.Interfaces} links={counts.Links}/{totalLinks} events={counts.Events} (links between regions are confirmed once the far region has been seen, i.e. next cycle)");

        // Cycle 2 confirms links between regions; it is a change, so its writes are reported but not the figure.
        var settle = await CycleAsync(silo, regionGrains, batchesPerCycle, db);
        counts = await db.CountsAsync(Tenant);
        Report.Note($"discovery: cycle 2 took {settle.Seconds:0.00} s and wrote {settle.State} state rows ({settle.Detail}); now links={counts.Links}/{totalLinks} events={counts.Events}");

        var quiet = await CycleAsync(silo, regionGrains, batchesPerCycle, db);
        report.Figure("discovery.no_change_cycle_seconds", quiet.Seconds, "s");
        report.Figure("discovery.no_change_cycle_writes", quiet.State, "rows", "0 rows in app tables and grain state");
        Report.Note($"discovery: no-change cycle writes by table: {quiet.Detail} (other tables, e.g. Orleans membership heartbeats: {quiet.Other})");
    }

    /// <summary>Triggers one cycle in every region, waits for the regions to finish it and for PostgreSQL's statistics to settle.</summary>
    private static async Task<(double Seconds, long State, long Other, string Detail)> CycleAsync(BenchSilo silo, List<IRegionGrain> regions, int batchesPerCycle, Database db)
    {
        // Backends report table statistics when idle, at most every ~10 s: wait so earlier work is counted before.
        await Task.Delay(TimeSpan.FromSeconds(11));
        var before = await db.TableWritesAsync();
        var deliveries0 = silo.Calls.RegionDeliveries;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(regions.Select(r => r.TriggerDiscoveryAsync()));
        if (!await Wait.UntilAsync(() => silo.Calls.RegionDeliveries - deliveries0 >= batchesPerCycle, TimeSpan.FromMinutes(2)))
        {
            Report.Note($"discovery: a triggered cycle did not finish in 2 minutes ({silo.Calls.RegionDeliveries - deliveries0} of {batchesPerCycle} batches)");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(11));
        var after = await db.TableWritesAsync();
        var (state, other, detail) = Database.Delta(before, after);
        return (seconds, state, other, detail);
    }
}
