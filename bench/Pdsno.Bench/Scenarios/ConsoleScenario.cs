using System.Diagnostics;
using Microsoft.Playwright;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.Bench.Hosting;
using Pdsno.TestSupport.Browsers;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario: the operator console in headless chromium on Topology Zoo's Kdl (754 devices in one region, discovered by
/// the product). Times sign-in to an interactive map (the topology read, laid out and drawn) and, for devices taken
/// down and up through the sandbox, each status event from its time stamp to the frame that redrew its node.
/// </summary>
internal static class ConsoleScenario
{
    private const string Tenant = "bench";
    private const string Region = "kdl";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var gml = await File.ReadAllTextAsync(Path.Combine(TopologyZooFolder(), "Kdl.gml"));
        var grains = silo.Grains;
        var token = await silo.IssueTokenAsync(Tenant, Roles.Viewer | Roles.Operator);
        var definition = await grains.GetGrain<ISimulatedNetworkGrain>(Tenant).PutPartAsync(SimulatedNetworkPart.Imported("kdl", gml, Region));
        var devices = Discovery.Simulation.SimulatedNetworkModel.Build(definition).DevicesIn(Region);
        var region = grains.GetGrain<IRegionGrain>(new RegionId(Tenant, Region).ToString());
        await region.EnsureStartedAsync(new RegionSetup(["lc-1"], "simulated", []));
        Report.Progress($"console: discovering Kdl ({devices.Length} devices)");
        var db = new Database(silo.ConnectionString);
        await Wait.UntilAsync(async () => (await db.CountsAsync(Tenant)).Devices >= devices.Length, TimeSpan.FromMinutes(5), 500);
        await region.TriggerDiscoveryAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium.ExecutablePath(),
            Headless = true,
            Args = SystemChromium.Arguments,
        });

        var ready = new List<double>();
        var drawn = new List<double>();
        var steps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        IPage? page = null;
        for (var visit = 0; visit < options.ConsoleVisits; visit++)
        {
            // A new context each time: a first visit, signed out, as a user would come.
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = silo.HttpAddress, ViewportSize = new ViewportSize { Width = 1400, Height = 860 } });
            page = await context.NewPageAsync();
            await page.GotoAsync($"/#/region/{Region}");
            await page.FillAsync("#token", token);
            var clock = Stopwatch.StartNew();
            await page.ClickAsync("#signin button[type=submit]");
            await page.WaitForSelectorAsync($"#map[data-region='{Region}'][data-ready]", new PageWaitForSelectorOptions { Timeout = 60_000 });
            // Interactive: the drawing has been painted once and the page answers.
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            ready.Add(clock.Elapsed.TotalMilliseconds);
            drawn.Add(double.Parse(await page.GetAttributeAsync("#map", "data-ready") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
            await page.WaitForFunctionAsync("() => performance.getEntriesByName('pdsno:sign-in-to-map').length > 0");
            // Where the time went, from the console's own performance measures (sign-in, the map's read, layout, drawing).
            var measures = await page.EvaluateAsync<System.Text.Json.JsonElement>(
                "() => performance.getEntriesByType('measure').filter(m => m.name.startsWith('pdsno:')).map(m => [m.name.slice(6), m.duration])");
            foreach (var step in measures.EnumerateArray())
            {
                var name = step[0].GetString()!;
                (steps.TryGetValue(name, out var list) ? list : steps[name] = []).Add(step[1].GetDouble());
            }
        }

        report.Figure("console.kdl_sign_in_to_map_ms_first", ready[0], "ms", "<= 2000");
        report.Figure("console.kdl_sign_in_to_map_p50_ms", Wait.Percentile(ready, 50), "ms", "<= 2000");
        report.Figure("console.kdl_map_read_laid_out_drawn_p50_ms", Wait.Percentile(drawn, 50), "ms");
        foreach (var (name, values) in steps)
        {
            Report.Note($"console step {name}: first {values[0]:F0} ms, p50 {Wait.Percentile(values, 50):F0} ms");
        }

        await page!.WaitForSelectorAsync("#live[data-state='live']");

        var lags = new List<double>();
        var network = grains.GetGrain<ISimulatedNetworkGrain>(Tenant);
        foreach (var device in devices.Take(options.ConsoleEvents))
        {
            foreach (var down in new[] { true, false })
            {
                var seen = await page.EvaluateAsync<string?>("() => document.getElementById('lag').dataset.sequence ?? null");
                await network.SetDeviceDownAsync(device.Key, down);
                await region.TriggerDiscoveryAsync();
                await page.WaitForFunctionAsync("seen => (document.getElementById('lag').dataset.sequence ?? null) !== seen", seen, new PageWaitForFunctionOptions { Timeout = 60_000 });
                var text = await page.InnerTextAsync("#lag");
                lags.Add(double.Parse(text.Split('·')[1].Replace("ms", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        report.Figure("console.event_to_redrawn_node_p50_ms", Wait.Percentile(lags, 50), "ms");
        report.Figure("console.event_to_redrawn_node_p95_ms", Wait.Percentile(lags, 95), "ms", "<= 1000");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "pdsno-console-kdl.png") });
        Report.Note($"console: screenshot of the Kdl map in {Path.Combine(Path.GetTempPath(), "pdsno-console-kdl.png")}");
    }

    // The corpus stands in shared/data/topologyzoo beside the checkout, or beside a folder above it where the
    // checkout is one of several working trees.
    private static string TopologyZooFolder()
    {
        for (var dir = new DirectoryInfo(SnmpScenario.RepositoryRoot()).Parent; dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "shared", "data", "topologyzoo");
            if (Directory.Exists(folder))
            {
                return folder;
            }
        }

        throw new DirectoryNotFoundException("No shared/data/topologyzoo beside the checkout or above it.");
    }
}
