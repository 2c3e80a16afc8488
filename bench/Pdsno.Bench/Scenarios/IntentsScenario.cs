using System.Diagnostics;
using System.Globalization;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Simulation;
using Pdsno.Bench.Hosting;
using Pdsno.Grains.Intents;
using Microsoft.Extensions.DependencyInjection;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario: intents on a discovered 1,000-device simulated network: the tenant's graph loaded from PostgreSQL (read
/// model snapshot and log), previewIntent through the grain, 1,000 intents compiled and reserved at once, a failure
/// preview of a core link carrying 1,000 intents, and the graph of a 10,000-device, 20,000-link network rebuilt from a
/// snapshot and 20,000 events; then stored intents installed through governed changes: create -> INSTALLED one at a
/// time, and 1,000 submitted together.
/// </summary>
internal static class IntentsScenario
{
    private const string Tenant = "bench";
    private const int Devices = 1000;
    private const int Intents = 1000;
    private const int Previews = 200;
    private static readonly TimeSpan Together = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var grains = silo.Grains;
        var db = new Database(silo.ConnectionString);
        await BenchNetwork.DiscoverAsync(silo, Tenant, options.Seed, Devices, 4);
        var links = (await db.CountsAsync(Tenant)).Links;
        Report.Note($"intents: {Devices} simulated devices, {links} links discovered; figures measured with other work on the machine");

        var source = silo.Services.GetRequiredService<IIntentTopologySource>();
        var clock = Stopwatch.StartNew();
        var snapshot = await source.LoadAsync(Tenant);
        var graph = TopologyGraph.From(snapshot);
        report.Figure("intents.graph_load_1000_devices_ms", clock.Elapsed.TotalMilliseconds, "ms");

        var grain = grains.GetGrain<IIntentNetworkGrain>(Tenant);
        var keys = snapshot.Devices.Select(d => d.Key).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(options.Seed);
        await grain.PreviewIntentAsync(Connect("warm", keys[0], keys[^1], 0));
        var latencies = new List<double>();
        for (var i = 0; i < Previews; i++)
        {
            var (a, b) = (keys[random.Next(keys.Length)], keys[random.Next(keys.Length)]);
            if (a == b)
            {
                continue;
            }

            var watch = Stopwatch.StartNew();
            await grain.PreviewIntentAsync(Connect($"p{i}", a, b, 1_000_000));
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        report.Figure("intents.preview_intent_p50_ms", Wait.Percentile(latencies, 50), "ms");
        report.Figure("intents.preview_intent_p99_ms", Wait.Percentile(latencies, 99), "ms");

        // 1,000 intents at once, compiled and reserved in memory (after a warm-up on a throw-away engine, so the figure is
        // not the JIT's); then 1,000 over one core link, failed in a preview.
        var warm = new IntentEngine(graph);
        for (var i = 0; i < 200; i++)
        {
            warm.Submit(Connect($"warm-{i}", keys[i % keys.Length], keys[^(1 + i % keys.Length)], 1_000));
        }

        var engine = new IntentEngine(TopologyGraph.From(snapshot));
        clock.Restart();
        for (var i = 0; i < Intents; i++)
        {
            engine.Submit(Connect($"bulk-{i}", keys[random.Next(keys.Length)], keys[(i * 7919 + 1) % keys.Length], 1_000));
        }

        report.Figure("intents.compile_1000_at_once_ms", clock.Elapsed.TotalMilliseconds, "ms");
        var core = CoreLink(graph);
        ref readonly var l = ref graph.Link(core);
        for (var i = 0; i < Intents; i++)
        {
            engine.Submit(Connect($"core-{i}", graph.Device(l.A).Key, graph.Device(l.B).Key, 1_000));
        }

        var failures = new List<double>();
        FailurePreview? preview = null;
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            preview = engine.PreviewFailure([l.Key], []);
            failures.Add(watch.Elapsed.TotalMilliseconds);
        }

        report.Figure("intents.preview_failure_core_link_1000_intents_ms", Wait.Percentile(failures, 50), "ms", "<= 100");
        Report.Note($"intents: failing core link {l.Key} reroutes {preview!.Rerouted.Length} and fails {preview.Failed.Length} intents");

        clock.Restart();
        var down = engine.Graph.Apply(new TopologyUpdate([new TopologyEvent(Tenant, engine.Graph.Sequence + 1, TopologyEventType.LinkDown, null, null, null, l.Key, "UP", "DOWN", DateTimeOffset.UtcNow)], [], [], []));
        var changed = engine.React(down);
        report.Figure("intents.reroute_core_link_1000_intents_compile_ms", clock.Elapsed.TotalMilliseconds, "ms");
        Report.Note($"intents: {changed.Count} intents recompiled after the core link went down (compile and ledger only, in memory; reinstalling through changes is not timed)");

        await InstallAsync(grains, db, keys, random, options, report);
        await RerouteAsync(grains, db, snapshot, graph.Link(core).Key, report);

        clock.Restart();
        var big = Synthetic(10_000, 20_000);
        var rebuilt = TopologyGraph.From(big.Snapshot);
        rebuilt.Apply(big.Events);
        report.Figure("intents.graph_rebuild_10000_devices_ms", clock.Elapsed.TotalMilliseconds, "ms", "<= 5000");
        Report.Note($"intents: rebuilt graph of {rebuilt.DeviceCount} devices and {rebuilt.LinkCount} links from a snapshot and {big.Events.Events.Count} events, in memory (the SQL read is graph_load above)");
    }

    // Stored intents installed through governed changes, durable in PostgreSQL: one at a time (create -> INSTALLED, its
    // change applied and read back), then 1,000 submitted together. Routes of intents are LOW by policy here, as the
    // tenant would set it for intents to install without an approver. Each intent's ends carry prefixes of their own,
    // so every intent installs routes of its own rather than finding them there already.
    private static async Task InstallAsync(IGrainFactory grains, Database db, string[] keys, Random random, BenchOptions options, Report report)
    {
        await grains.GetGrain<IGlobalPolicyGrain>(Tenant).SetChangePolicyAsync(
            ChangePolicy.Default with { MediumRoles = [], HighRegionCount = 1000, HighDeviceCount = 10_000, IntentRoutesLow = true, ParallelTargets = 256 });
        var made = 0;
        Task<IntentOutcome> CreateAsync(string name)
        {
            var n = Interlocked.Increment(ref made);
            var (a, b) = (keys[random.Next(keys.Length)], keys[random.Next(keys.Length)]);
            while (a == b)
            {
                b = keys[random.Next(keys.Length)];
            }

            var spec = new IntentSpec(name, IntentKind.Connectivity, new ConnectivitySpec(
                new IntentEndpoint(a, Prefix: $"10.{n / 256 % 256}.{n % 256}.0/24"), new IntentEndpoint(b, Prefix: $"172.{16 + n / 65536 % 16}.{n / 256 % 256}.{n % 256}/32"), 1_000));
            return grains.GetGrain<IIntentGrain>(new IntentId(Tenant, name).ToString()).CreateAsync(spec);
        }

        for (var i = 0; i < 20; i++)
        {
            await CreateAsync($"warm-install-{i}");
        }

        var one = new List<double>();
        var installed = 0;
        for (var i = 0; i < options.ChangesSingle; i++)
        {
            var watch = Stopwatch.StartNew();
            var outcome = await CreateAsync($"one-{i}");
            one.Add(watch.Elapsed.TotalMilliseconds);
            installed += outcome.Intent?.Status == IntentStatus.Installed ? 1 : 0;
        }

        report.Figure("intents.one_intent_create_to_installed_p50_ms", Wait.Percentile(one, 50), "ms", "p50 <= 15");
        report.Figure("intents.one_intent_create_to_installed_p99_ms", Wait.Percentile(one, 99), "ms", "p99 <= 50");
        Report.Note($"intents: {installed} of {one.Count} single intents INSTALLED when create returned (each through one LOW change applied and read back)");
        if (one.Count >= 500)
        {
            // Routes pile up on the core devices as intents are installed: how the figure moves with them.
            var blocks = Enumerable.Range(0, one.Count / 250).Select(b => Wait.Percentile(one.GetRange(b * 250, 250), 50).ToString("0", CultureInfo.InvariantCulture));
            Report.Note($"intents: p50 of each 250 single intents in order, ms: {string.Join(", ", blocks)}");
        }

        // Their changes meet in the locks of the devices the paths share, so a create may outlast the call timeout while
        // its intent goes on installing: the figure is read from the read model, the durable state, not from the replies.
        var clock = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, Intents).Select(i => CreateAsync($"together-{i}")).ToList();
        var done = 0L;
        while (clock.Elapsed < Together)
        {
            done = await db.ScalarAsync("SELECT count(*) FROM intents WHERE tenant = $1 AND intent LIKE 'together-%' AND status IN ('INSTALLED', 'FAILED', 'CONFLICT')", Tenant);
            if (done >= Intents)
            {
                break;
            }

            await Task.Delay(100);
        }

        var installed1000 = await db.ScalarAsync("SELECT count(*) FROM intents WHERE tenant = $1 AND intent LIKE 'together-%' AND status = 'INSTALLED'", Tenant);
        report.Figure("intents.1000_together_to_installed_s", clock.Elapsed.TotalSeconds, "s", "<= 1");
        Report.Note($"intents: of 1,000 submitted together {installed1000} INSTALLED and {done - installed1000} FAILED after {clock.Elapsed.TotalSeconds:0.0} s (limit {Together.TotalSeconds:0} s)");
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    // 1,000 stored intents between the two ends of a core link, installed; then the link goes down on the simulated
    // network and a discovery cycle reports it. Timed from the LinkDown event's commit to the last of them INSTALLED again
    // on a path around it, read from the read model.
    private static async Task RerouteAsync(IGrainFactory grains, Database db, TopologySnapshot snapshot, string link, Report report)
    {
        var l = snapshot.Links.First(x => x.Key == link);
        var (a, b) = (snapshot.Devices.First(d => d.Key == l.DeviceA), snapshot.Devices.First(d => d.Key == l.DeviceB));
        var calls = Enumerable.Range(0, Intents).Select(i => grains.GetGrain<IIntentGrain>(new IntentId(Tenant, $"core-{i}").ToString()).CreateAsync(
            new IntentSpec($"core-{i}", IntentKind.Connectivity, new ConnectivitySpec(
                new IntentEndpoint(a.Key, Prefix: $"10.{200 + i / 256}.{i % 256}.0/24"), new IntentEndpoint(b.Key, Prefix: $"10.{210 + i / 256}.{i % 256}.0/24"), 1_000)))).ToList();
        const string Installed = "SELECT count(*) FROM intents WHERE tenant = $1 AND intent LIKE 'core-%' AND status = 'INSTALLED'";
        var placed = Stopwatch.StartNew();
        if (!await Wait.UntilAsync(async () => await db.ScalarAsync(Installed, Tenant) >= Intents, Together, 100))
        {
            Report.Note($"intents: only {await db.ScalarAsync(Installed, Tenant)} of {Intents} intents over core link {link} INSTALLED within {Together.TotalSeconds:0} s; the reroute is not timed");
            return;
        }

        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        Report.Note($"intents: 1,000 intents over core link {link} INSTALLED in {placed.Elapsed.TotalSeconds:0.0} s (they share its two devices, so few changes carry them)");
        var before = await db.ScalarAsync("SELECT coalesce(max(seq), 0) FROM events WHERE tenant = $1", Tenant);

        await grains.GetGrain<ISimulatedNetworkGrain>(Tenant).SetLinkDownAsync(
            SimulatedFaults.LinkKey(SimulatedFaults.DeviceKey(a.Region, a.Name), l.InterfaceA, SimulatedFaults.DeviceKey(b.Region, b.Name), l.InterfaceB), true);
        await Task.WhenAll(new[] { a.Region, b.Region }.Distinct().Select(r => grains.GetGrain<IRegionGrain>(new RegionId(Tenant, r).ToString()).TriggerDiscoveryAsync()));
        if (!await Wait.UntilAsync(async () => await db.ScalarAsync("SELECT count(*) FROM events WHERE tenant = $1 AND seq > $2 AND link = $3 AND replace(lower(type), '_', '') = 'linkdown'", Tenant, before, link) > 0, TimeSpan.FromMinutes(1), 20))
        {
            Report.Note($"intents: discovery did not report core link {link} down within a minute; the reroute is not timed");
            return;
        }

        var down = Stopwatch.StartNew();
        var moved = "SELECT count(*) FROM intents WHERE tenant = $1 AND intent LIKE 'core-%' AND status = 'INSTALLED' AND NOT coalesce(jsonb_exists(document -> 'path' -> 'links', $2), false)";
        var done = await db.ScalarAsync(moved, Tenant, link);
        while (done < Intents && down.Elapsed < Together)
        {
            await Task.Delay(20);
            done = await db.ScalarAsync(moved, Tenant, link);
        }

        report.Figure("intents.core_link_down_1000_intents_reinstalled_s", down.Elapsed.TotalSeconds, "s", "<= 2");
        Report.Note($"intents: core link {link} down with 1,000 intents over it: {done} of {Intents} INSTALLED on a path around it after {down.Elapsed.TotalSeconds:0.0} s, timed from its LinkDown event in the log (seen by polling every 20 ms)");
    }

    private static IntentSpec Connect(string id, string a, string b, long bps) =>
        new(id, IntentKind.Connectivity, new ConnectivitySpec(new IntentEndpoint(a), new IntentEndpoint(b), bps));

    // The usable link whose ends have the most links: a core link.
    internal static int CoreLink(TopologyGraph graph) =>
        Enumerable.Range(0, graph.LinkCount).Where(graph.IsUsable)
            .MaxBy(l => graph.LinksOf(graph.Link(l).A).Length + graph.LinksOf(graph.Link(l).B).Length);

    // A ring of 10,000 devices with chords, as a snapshot, and a log of links going down and up again.
    private static (TopologySnapshot Snapshot, TopologyUpdate Events) Synthetic(int devices, int links)
    {
        var d = Enumerable.Range(0, devices).Select(i => new GraphDevice($"d{i}", $"r{i % 10}", $"D{i}", i % 10 == 0 ? "core" : "access", "contoso", $"10.{i / 65536}.{i / 256 % 256}.{i % 256}", "ACTIVE")).ToList();
        var l = new List<GraphLink>(links);
        var interfaces = new List<GraphInterface>(links * 2);
        for (var i = 0; i < links; i++)
        {
            var (a, b) = (i % devices, i < devices ? (i + 1) % devices : (i * 7 + 13) % devices);
            l.Add(new GraphLink($"d{a}:e{i}|d{b}:f{i}", $"d{a}", $"e{i}", $"d{b}", $"f{i}", 10_000_000_000, true));
            interfaces.Add(new GraphInterface($"d{a}", $"e{i}", 10_000_000_000, true, true));
            interfaces.Add(new GraphInterface($"d{b}", $"f{i}", 10_000_000_000, true, true));
        }

        var events = Enumerable.Range(0, links).Select(i => new TopologyEvent(Tenant, i + 2, i % 2 == 0 ? TopologyEventType.LinkDown : TopologyEventType.LinkUp, null, null, null, l[i / 2 * 2].Key, null, null, DateTimeOffset.UnixEpoch)).ToList();
        return (new TopologySnapshot(1, d, interfaces, l), new TopologyUpdate(events, [], [], []));
    }
}
