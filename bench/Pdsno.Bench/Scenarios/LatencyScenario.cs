using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Simulation;
using Pdsno.Bench.Grains;
using Pdsno.Bench.Hosting;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario 3: topology events to a stream subscriber (an explicitly subscribed grain).
/// (a) stream only: a bench grain stamps and publishes events on the topology stream, one at a time.
/// (b) product path: sandbox faults take devices down and up, a triggered cycle turns them into events;
/// latency runs from the commit of the projection transaction that stored each event (a decorator of the
/// projection writer stamps it) to receipt by the subscriber.
/// </summary>
internal static class LatencyScenario
{
    private const string DirectTenant = "bench-direct";
    private const string Tenant = "bench";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var grains = silo.Grains;
        var recorder = silo.Latency;

        await grains.GetGrain<ITopologyProbeGrain>(DirectTenant).StartAsync();
        var publisher = grains.GetGrain<IBenchPublisherGrain>(DirectTenant);
        for (var i = 1; i <= options.LatencyEvents; i++)
        {
            await publisher.PublishStampedAsync(i);
            await Task.Delay(5);
        }

        await Wait.UntilAsync(() => recorder.Receipts(DirectTenant).Count >= options.LatencyEvents, TimeSpan.FromSeconds(30));
        var direct = recorder.StampToReceiptMs(DirectTenant);
        report.Figure("latency.stream_only_p50_ms", Wait.Percentile(direct, 50), "ms");
        report.Figure("latency.stream_only_p99_ms", Wait.Percentile(direct, 99), "ms");
        Report.Note($"latency (a) stream only: {direct.Count} of {options.LatencyEvents} events received; stamped in a bench grain just before OnNextAsync, one every ~5 ms");

        await ProductPathAsync(silo, options, report);
    }

    private static async Task ProductPathAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var grains = silo.Grains;
        var recorder = silo.Latency;
        var db = new Database(silo.ConnectionString);
        const int Devices = 400;
        var definition = await grains.GetGrain<ISimulatedNetworkGrain>(Tenant).PutPartAsync(SimulatedNetworkPart.Generated("default", options.Seed, Devices, 2));
        var model = SimulatedNetworkModel.Build(definition);
        await grains.GetGrain<IGlobalPolicyGrain>(Tenant).SetPolicyAsync(TimeSpan.FromHours(1), 3);
        var region = model.Regions[0];
        var regionGrains = model.Regions.Select(r => grains.GetGrain<IRegionGrain>(new RegionId(Tenant, r).ToString())).ToList();
        await Task.WhenAll(regionGrains.Select(r => r.EnsureStartedAsync(new RegionSetup(["lc-1"], "simulated", []))));
        await Wait.UntilAsync(async () => (await db.CountsAsync(Tenant)).Devices >= Devices, TimeSpan.FromMinutes(1), 100);
        // A second cycle confirms the links between the regions; then the network is quiet.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Task.WhenAll(regionGrains.Select(r => r.TriggerDiscoveryAsync()));
        await Task.Delay(TimeSpan.FromSeconds(2));

        await grains.GetGrain<ITopologyProbeGrain>(Tenant).StartAsync();
        var network = grains.GetGrain<ISimulatedNetworkGrain>(Tenant);
        var targets = model.DevicesIn(region).Where(d => d.Role == "access").Take(options.LatencyChanges).ToList();
        var regionGrain = grains.GetGrain<IRegionGrain>(new RegionId(Tenant, region).ToString());
        var missed = 0;
        foreach (var device in targets)
        {
            var key = DeviceId.ForChassis(Tenant, device.ChassisId).Device;
            foreach (var down in new[] { true, false })
            {
                var expected = down ? "UNREACHABLE" : "ACTIVE";
                await network.SetDeviceDownAsync(device.Key, down);
                await regionGrain.TriggerDiscoveryAsync();
                var seen = await Wait.UntilAsync(
                    () => recorder.Receipts(Tenant).Any(r => r.Event.Type == TopologyEventType.DeviceStatusChanged && r.Event.Device == key && r.Event.NewValue == expected),
                    TimeSpan.FromSeconds(10),
                    5);
                if (!seen)
                {
                    missed++;
                }

                await Task.Delay(50);
            }
        }

        await Task.Delay(500);
        var all = recorder.StampToReceiptMs(Tenant);
        var fromOccurred = recorder.Receipts(Tenant).Select(r => (r.AtUtc - r.Event.OccurredAt).TotalMilliseconds).ToList();
        report.Figure("latency.durable_to_subscriber_p50_ms", Wait.Percentile(all, 50), "ms");
        report.Figure("latency.durable_to_subscriber_p99_ms", Wait.Percentile(all, 99), "ms", "p99 < 50 ms");
        report.Figure("latency.change_to_subscriber_p99_ms", Wait.Percentile(fromOccurred, 99), "ms");
        Report.Note($"latency (b) product path: {targets.Count} devices taken down and back (sandbox + triggered cycle), {all.Count} events received " +
            $"(status, interface and link events); {missed} expected status events not seen in 10 s; " +
            $"change_to_subscriber measures from TopologyEvent.OccurredAt (stamped before the grain state write) p50={Wait.Percentile(fromOccurred, 50):0.0} ms");
    }
}
