using System.Diagnostics;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Simulation;
using Pdsno.Bench.Hosting;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario: the device grain's share of a config change on the simulated network (lock, apply with read-back through
/// the simulated config driver, unlock), on every device of a 1,000-device network at once, then one device at a time.
/// </summary>
internal static class ConfigScenario
{
    private const string Tenant = "bench";
    private const int Devices = 1000;
    private const int Single = 200;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var grains = silo.Grains;
        var db = new Database(silo.ConnectionString);
        var definition = await grains.GetGrain<ISimulatedNetworkGrain>(Tenant).PutPartAsync(SimulatedNetworkPart.Generated("default", options.Seed, Devices, 4));
        var model = SimulatedNetworkModel.Build(definition);
        await grains.GetGrain<IGlobalPolicyGrain>(Tenant).SetPolicyAsync(TimeSpan.FromHours(1), 3);
        await Task.WhenAll(model.Regions.Select(r => grains.GetGrain<IRegionGrain>(new RegionId(Tenant, r).ToString()).EnsureStartedAsync(new RegionSetup(["lc-1"], "simulated", []))));
        await Wait.UntilAsync(async () => (await db.CountsAsync(Tenant)).Devices >= Devices, TimeSpan.FromMinutes(2), 100);
        var devices = model.Devices.Select(d => grains.GetGrain<IDeviceGrain>(DeviceId.ForChassis(Tenant, d.ChassisId).ToString())).ToList();
        // Every device must have its baseline before changes start.
        await Wait.UntilAsync(async () => (await Task.WhenAll(devices.Select(d => d.GetConfigAsync()))).All(v => v is not null), TimeSpan.FromMinutes(1), 200);
        Report.Note($"config: {Devices} simulated devices; a change = lock, apply a new description and read it back, unlock");

        var clock = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(devices.Select((d, i) => ChangeAsync(d, $"bulk-{i}", "bulk")));
        var total = clock.Elapsed.TotalSeconds;
        var applied = outcomes.Count(o => o == ConfigApplyStatus.Applied);
        report.Figure("config.devices_changed_at_once_total_s", total, "s");
        Report.Note($"config: {applied} of {Devices} applied at once in {total:F2} s");

        var latencies = new List<double>();
        for (var i = 0; i < Single; i++)
        {
            var watch = Stopwatch.StartNew();
            await ChangeAsync(devices[i % devices.Count], $"one-{i}", $"single {i}");
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        report.Figure("config.one_device_change_p50_ms", Wait.Percentile(latencies, 50), "ms");
        report.Figure("config.one_device_change_p99_ms", Wait.Percentile(latencies, 99), "ms");
    }

    private static async Task<ConfigApplyStatus> ChangeAsync(IDeviceGrain device, string change, string description)
    {
        if (await device.LockAsync(change) is not null)
        {
            return ConfigApplyStatus.Locked;
        }

        var view = (await device.GetConfigAsync())!;
        var desired = view.Intended with { Interfaces = [.. view.Intended.Interfaces.Select((x, n) => n == 0 ? x with { Description = description } : x)] };
        var outcome = await device.ApplyConfigAsync(new ConfigApplyRequest(change, desired, false, "bench", Timeout));
        await device.UnlockAsync(change);
        return outcome.Status;
    }
}
