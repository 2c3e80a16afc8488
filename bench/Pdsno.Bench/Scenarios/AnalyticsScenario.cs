using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions.Analytics;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Policy;
using Pdsno.Analytics.Evaluation;
using Pdsno.Analytics.Forecasting;
using Pdsno.Analytics.Traffic;
using Pdsno.Bench.Hosting;
using Pdsno.Grains.Intents;
using Pdsno.Storage.Telemetry;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario: how well and how cheaply PDSNO forecasts and finds anomalies, on generated traffic from seeds the tests
/// never use (five weeks at one minute: four to fit on, one held back), and how fast history goes into PostgreSQL.
/// </summary>
internal static class AnalyticsScenario
{
    // A Monday at midnight, so the model's days line up with the calendar's.
    private static readonly DateTimeOffset Start = new(2026, 9, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);
    private const int SeedBase = 7_000_000;
    private const int FitDays = 28;

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        Judge(options, report);
        await WriteAsync(silo, options, report);
        await LoopAsync(silo, report);
    }

    // The closed loop on the real silo: 100 intents of 1 Mb/s between the two ends of a core link of a simulated network,
    // installed; then the periodic analysis's verdict for that link predicts congestion, handed to the tenant's analytics
    // grain as the analysis hands it. Timed from that call to the last intent INSTALLED on a path around the link, read
    // from the read model. The forecast that would raise the verdict is timed above (fitting and scoring).
    private static async Task LoopAsync(BenchSilo silo, Report report)
    {
        const string Tenant = "bench-loop";
        const int Intents = 100;
        await BenchNetwork.DiscoverAsync(silo, Tenant, 11, 200, 2);
        var (grains, db) = (silo.Grains, new Database(silo.ConnectionString));
        var policies = grains.GetGrain<IGlobalPolicyGrain>(Tenant);
        await policies.SetChangePolicyAsync(ChangePolicy.Default with { MediumRoles = [], HighRegionCount = 1000, HighDeviceCount = 10_000, IntentRoutesLow = true });
        var policy = AnalyticsPolicy.Default with { ClosedLoop = ClosedLoopMode.Auto };
        await policies.SetAnalyticsPolicyAsync(policy);

        var graph = TopologyGraph.From(await silo.Services.GetRequiredService<IIntentTopologySource>().LoadAsync(Tenant));
        var core = IntentsScenario.CoreLink(graph);
        var l = graph.Link(core);
        var (a, b, key) = (graph.Device(l.A), graph.Device(l.B), l.Key);
        Report.Progress($"analytics: installing {Intents} intents over core link {key} for the closed loop");
        var created = await Task.WhenAll(Enumerable.Range(0, Intents).Select(i => grains.GetGrain<IIntentGrain>(new IntentId(Tenant, $"loop-{i}").ToString()).CreateAsync(
            new IntentSpec($"loop-{i}", IntentKind.Connectivity, new ConnectivitySpec(
                new IntentEndpoint(a.Key, Prefix: $"10.220.{i}.0/24"), new IntentEndpoint(b.Key, Prefix: $"10.221.{i}.0/24"), 1_000_000)))));
        const string Installed = "SELECT count(*) FROM intents WHERE tenant = $1 AND status = 'INSTALLED'";
        if (created.Any(c => c.Intent is null) || !await Wait.UntilAsync(async () => await db.ScalarAsync(Installed, Tenant) >= Intents, TimeSpan.FromMinutes(2), 100))
        {
            Report.Note($"analytics: only {await db.ScalarAsync(Installed, Tenant)} of {Intents} intents over core link {key} INSTALLED; the closed loop is not timed");
            return;
        }

        var verdict = new SeriesVerdict(key, "A_TO_B", graph.Region(a.Region), a.Key, l.InterfaceA,
            new CongestionOutlook(DateTimeOffset.UtcNow.AddHours(6), 0.95, 97, 90, policy.CongestionThresholdPercent), null);
        var moved = "SELECT count(*) FROM intents WHERE tenant = $1 AND status = 'INSTALLED' AND NOT coalesce(jsonb_exists(document -> 'path' -> 'links', $2), false)";
        var clock = Stopwatch.StartNew();
        await grains.GetGrain<IAnalyticsGrain>(Tenant).RecordAsync([verdict], policy);
        var handed = clock.Elapsed;
        var done = await db.ScalarAsync(moved, Tenant, key);
        while (done < Intents && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(20);
            done = await db.ScalarAsync(moved, Tenant, key);
        }

        report.Figure($"analytics.closed_loop_prediction_to_{Intents}_intents_rerouted_and_installed_s", clock.Elapsed.TotalSeconds, "s", "<= 5");
        Report.Note($"analytics: closed loop on core link {key}: {done} of {Intents} intents INSTALLED around it {clock.Elapsed.TotalSeconds:0.00} s after the prediction; the event and the re-optimization took {handed.TotalMilliseconds:0} ms of that (polled every 20 ms)");
    }

    private static void Judge(BenchOptions options, Report report)
    {
        var perDay = (int)(TimeSpan.FromDays(1) / Step);
        var perBucket = (int)(AnalysisOptions.Default.BucketSize / Step);
        var (model, naive, ewma) = (new List<double>(), new List<double>(), new List<double>());
        var (covered, points) = (0L, 0L);
        var (injected, recalled, detected, precise, glitchFlags) = (0, 0, 0, 0, 0);
        var fitting = TimeSpan.Zero;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        Report.Progress($"analytics: fitting and judging {options.AnalyticsSeries} series");
        for (var s = 0; s < options.AnalyticsSeries; s++)
        {
            var generator = TrafficGenerator.FromSeed(SeededNoise.SeedOf($"bench-{SeedBase + s}"), Start);
            var samples = generator.Generate(Start, Step, perDay * (FitDays + 7));
            var train = samples[..(perDay * FitDays)];
            var fitEnd = Start.AddDays(FitDays);

            var clock = Stopwatch.StartNew();
            var analysis = SeriesAnalysis.Fit(Start, Step, train, AnalysisOptions.Default);
            var forecast = analysis.Forecast(TimeSpan.FromDays(7));
            var anomalies = analysis.Anomalies(Start.AddDays(7));
            fitting += clock.Elapsed;

            var actual = Buckets.Medians(samples.AsSpan(perDay * FitDays), perBucket);
            var history = Buckets.Medians(train, perBucket);
            model.Add(Accuracy.Smape(actual, [.. forecast.Points.Select(p => p.Expected)]));
            naive.Add(Accuracy.Smape(actual, history.AsSpan(history.Length - actual.Length)));
            ewma.Add(Accuracy.Smape(actual, Accuracy.EwmaForecast(history, actual.Length)));
            covered += actual.Zip(forecast.Points).Count(x => x.First >= x.Second.Lower && x.First <= x.Second.Upper);
            points += actual.Length;

            var events = generator.Events(Start.AddDays(7), fitEnd, Step);
            var real = events.Where(e => e.Kind != TrafficEventKind.Glitch).ToList();
            var glitches = events.Where(e => e.Kind == TrafficEventKind.Glitch).ToList();
            injected += real.Count;
            recalled += real.Count(e => anomalies.Any(a => a.Start < e.End && e.Start < a.End));
            detected += anomalies.Count;
            precise += anomalies.Count(a => real.Any(e => a.Start < e.End && e.Start < a.End));
            glitchFlags += anomalies.Count(a => !real.Any(e => a.Start < e.End && e.Start < a.End) && glitches.Any(g => a.Start <= g.Start && g.Start < a.End));
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var n = options.AnalyticsSeries;
        Report.Note($"analytics: {n} series of 5 weeks at 1 minute (seeds bench-{SeedBase}...), fitted on 4 weeks, judged on the held-back week in 15-minute buckets");
        report.Figure("analytics.forecast_smape_week_ahead (double-seasonal Holt-Winters)", model.Average(), "%");
        report.Figure("analytics.forecast_smape_seasonal_naive (same week last week)", naive.Average(), "%");
        report.Figure("analytics.forecast_smape_ewma (flat exponentially weighted average)", ewma.Average(), "%");
        report.Figure("analytics.forecast_smape_reduction_vs_seasonal_naive", 100 * (1 - (model.Average() / naive.Average())), "%", ">= 20 %");
        report.Figure("analytics.interval_coverage_90 (held-back buckets inside the 90% interval)", 100.0 * covered / points, "%", "85-95 %");
        report.Figure("analytics.anomaly_injected_events (flash crowds and sudden drops in weeks 2-4)", injected, "events");
        report.Figure("analytics.anomaly_recall", injected == 0 ? 0 : (double)recalled / injected, "", ">= 0.8");
        report.Figure("analytics.anomaly_precision", detected == 0 ? 0 : (double)precise / detected, "", ">= 0.9");
        report.Figure("analytics.glitches_flagged (anomalies made only of counter glitches)", glitchFlags, "anomalies");
        var perSeriesMs = fitting.TotalMilliseconds / n;
        report.Figure("analytics.fit_forecast_score_ms_per_series (4 weeks at 1 minute, one thread, wall)", perSeriesMs, "ms");
        report.Figure("analytics.process_cpu_ms_per_series (generation included)", cpu.TotalMilliseconds / n, "ms");
        report.Figure("analytics.core_share_refitting_20000_series_hourly", 100 * perSeriesMs * 20_000 / 3_600_000, "% of one core", "<= 25 %");
        report.Figure("analytics.core_share_refitting_20000_series_daily", 100 * perSeriesMs * 20_000 / 86_400_000, "% of one core");
    }

    private static async Task WriteAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var store = silo.Services.GetRequiredService<InterfaceHistoryStore>();
        var interfaces = Enumerable.Range(0, options.AnalyticsWriteInterfaces)
            .Select(i => new HistoryInterface($"bench-{i / 8}", $"eth{i % 8}", "bench", 10_000_000_000, null)).ToList();
        var from = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86_400 * 86_400).AddDays(-1);
        var count = (int)(TimeSpan.FromDays(1) / Step);
        var generators = interfaces.ToDictionary(i => i, i => TrafficFlows.ForInterface("bench", i.Device, i.Interface, null, from));
        Report.Progress($"analytics: writing a day of 1-minute history for {interfaces.Count} interfaces");
        var clock = Stopwatch.StartNew();
        var rows = await store.ReplaceAsync("bench", interfaces, from, Step, count, (i, k) =>
        {
            var (outbound, inbound) = generators[i];
            var at = from + (Step * k);
            return new HistorySample(inbound.Sample(at, Step) * i.SpeedBps, outbound.Sample(at, Step) * i.SpeedBps);
        }, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        report.Figure($"analytics.history_rows_per_second ({rows} rows, one transaction, binary COPY, traffic generated inline)", rows / seconds, "rows/s");
        report.Figure("analytics.history_write_share_20000_interfaces_at_1_minute (333 rows/s against that rate)", 100 * (20_000 / 60.0) / (rows / seconds), "%");
    }
}
