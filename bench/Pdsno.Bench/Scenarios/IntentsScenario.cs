using System.Diagnostics;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Intents;
using Pdsno.Bench.Hosting;
using Pdsno.Grains.Intents;
using Microsoft.Extensions.DependencyInjection;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario: intents on a discovered 1,000-device simulated network: the tenant's graph loaded from PostgreSQL (read
/// model snapshot and log), previewIntent through the grain, 1,000 intents compiled and reserved at once, a failure
/// preview of a core link carrying 1,000 intents, and the graph of a 10,000-device, 20,000-link network rebuilt from a
/// snapshot and 20,000 events. Installation through governed changes is not built yet, so create -> INSTALLED is not
/// measured.
/// </summary>
internal static class IntentsScenario
{
    private const string Tenant = "bench";
    private const int Devices = 1000;
    private const int Intents = 1000;
    private const int Previews = 200;

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
        Report.Note($"intents: {changed.Count} intents recompiled after the core link went down (compile and ledger only; install not built)");

        clock.Restart();
        var big = Synthetic(10_000, 20_000);
        var rebuilt = TopologyGraph.From(big.Snapshot);
        rebuilt.Apply(big.Events);
        report.Figure("intents.graph_rebuild_10000_devices_ms", clock.Elapsed.TotalMilliseconds, "ms", "<= 5000");
        Report.Note($"intents: rebuilt graph of {rebuilt.DeviceCount} devices and {rebuilt.LinkCount} links from a snapshot and {big.Events.Events.Count} events, in memory (the SQL read is graph_load above)");
    }

    private static IntentSpec Connect(string id, string a, string b, long bps) =>
        new(id, IntentKind.Connectivity, new ConnectivitySpec(new IntentEndpoint(a), new IntentEndpoint(b), bps));

    // The usable link whose ends have the most links: a core link.
    private static int CoreLink(TopologyGraph graph) =>
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
