using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Analytics;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;
using Pdsno.Analytics.Forecasting;
using Pdsno.Storage.Telemetry;

namespace Pdsno.Silo.Analytics;

/// <summary>How often links are analysed (configuration section <c>Analytics</c>).</summary>
public sealed class AnalysisOptionsSection
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Analytics";

    /// <summary>Time between analysis rounds.</summary>
    public TimeSpan AnalysisInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a link's model is updated incrementally before it is fitted again on its whole history.</summary>
    public TimeSpan ModelRefit { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// The periodic analysis, off the request path: every <see cref="AnalysisOptionsSection.AnalysisInterval"/>, for
/// each tenant, each link direction's model (and each direction of an interface that is the end of no link, for
/// anomalies only) (fitted once on 28 days of history, then fed the new buckets one update
/// at a time) predicts congestion against the tenant's policy and scores the new buckets for anomalies; the verdicts go
/// to the tenant's analytics grain, which writes the events. A link with too little history gets no verdict (and no
/// event) until it has eight days. A failure of any kind is logged and waits for the next round: it never reaches
/// discovery or the API.
/// </summary>
public sealed partial class AnalyticsSweep(
    InterfaceHistoryStore store, IGrainFactory grains, TimeProvider time, IOptions<AnalysisOptionsSection> options, ILogger<AnalyticsSweep> logger) : BackgroundService
{
    /// <summary>How much history a model is fitted on.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(28);

    /// <summary>The resolution history is read at.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    // Minutes reach the store a flush after they end: a bucket is taken in only once that much has passed.
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(2);

    private readonly Dictionary<(string Tenant, string Link), (SeriesMonitor AToB, SeriesMonitor BToA)> _monitors = [];
    private readonly Dictionary<(string Tenant, string Link), DateTimeOffset> _short = [];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AnalysisInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round over every tenant; returns the events written.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        IReadOnlyList<string> tenants;
        try
        {
            tenants = await store.ListTenantsAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, "(all)");
            return 0;
        }

        var events = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                events += await AnalyseAsync(tenant, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex, tenant);
            }
        }

        return events;
    }

    private async Task<int> AnalyseAsync(string tenant, CancellationToken ct)
    {
        using var system = CallerContext.AsSystem();
        var policy = (await grains.GetGrain<IGlobalPolicyGrain>(tenant).GetPolicyAsync()).Analytics;
        // Links, both directions; and interfaces that are the end of no link (an uplink to a network PDSNO does not see,
        // a server port), for anomalies: congestion is a link's.
        var links = await store.ListSeriesAsync(tenant, ct);
        if (links.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var until = Floor(now - Settle, AnalysisOptions.Default.BucketSize);
        var current = links.Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _monitors.Keys.Where(k => k.Tenant == tenant && !current.Contains(k.Link)).ToList())
        {
            _monitors.Remove(stale);
        }

        // Links without a model, or whose model is due for a refit, are fitted on their whole history in one read; a
        // link found short of history is asked again a few rounds later (at most a quarter of an hour: a bucket later).
        var retryShort = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(15).Ticks, options.Value.AnalysisInterval.Ticks * 5));
        var fit = links.Where(l => (!_monitors.TryGetValue((tenant, l.Key), out var m) || now - m.AToB.FittedAt >= options.Value.ModelRefit)
            && (!_short.TryGetValue((tenant, l.Key), out var at) || now - at >= retryShort)).ToList();
        var (fitted, shortOfHistory) = (0, 0);
        if (fit.Count > 0)
        {
            var since = until - History;
            var count = (int)(History / Step);
            var points = await store.ReadAsync(tenant, [.. fit.Select(l => (l.DeviceA, l.InterfaceA))], since, until, Step, ct);
            foreach (var link in fit)
            {
                var (aToB, bToA) = HistorySeries.Of(points.GetValueOrDefault((link.DeviceA, link.InterfaceA)) ?? [], since, Step, count);
                try
                {
                    _monitors[(tenant, link.Key)] = (SeriesMonitor.Start(since, Step, aToB, AnalysisOptions.Default), SeriesMonitor.Start(since, Step, bToA, AnalysisOptions.Default));
                    _short.Remove((tenant, link.Key));
                    fitted++;
                }
                catch (InsufficientHistoryException)
                {
                    _monitors.Remove((tenant, link.Key));
                    _short[(tenant, link.Key)] = now;
                    shortOfHistory++;
                }
            }
        }

        // The others take in the buckets that came since their last round, all read in one statement.
        var advance = links.Where(l => _monitors.ContainsKey((tenant, l.Key)) && !fit.Contains(l)).ToList();
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        if (advance.Count > 0)
        {
            var from = advance.Min(l => _monitors[(tenant, l.Key)].AToB.Next);
            if (from < until)
            {
                var count = (int)((until - from) / Step);
                var points = await store.ReadAsync(tenant, [.. advance.Select(l => (l.DeviceA, l.InterfaceA))], from, until, Step, ct);
                foreach (var link in advance)
                {
                    var (aToB, bToA) = HistorySeries.Of(points.GetValueOrDefault((link.DeviceA, link.InterfaceA)) ?? [], from, Step, count);
                    var (ma, mb) = _monitors[(tenant, link.Key)];
                    ma.Advance(from, Step, aToB);
                    mb.Advance(from, Step, bToA);
                    fresh.Add(link.Key);
                }
            }
        }

        var verdicts = ImmutableArray.CreateBuilder<SeriesVerdict>();
        foreach (var link in links)
        {
            if (_monitors.TryGetValue((tenant, link.Key), out var m))
            {
                verdicts.Add(Verdict(link, link.IsLink ? "A_TO_B" : "OUT", m.AToB, policy, fresh.Contains(link.Key)));
                verdicts.Add(Verdict(link, link.IsLink ? "B_TO_A" : "IN", m.BToA, policy, fresh.Contains(link.Key)));
            }
        }

        var events = verdicts.Count == 0 ? 0 : await grains.GetGrain<IAnalyticsGrain>(tenant).RecordAsync(verdicts.ToImmutable(), policy);
        LogRound(tenant, links.Count, fitted, shortOfHistory, events);
        return events;
    }

    private static SeriesVerdict Verdict(HistoryLink link, string direction, SeriesMonitor monitor, AnalyticsPolicy policy, bool fresh)
    {
        var crossing = link.IsLink ? monitor.Predict(policy.CongestionHorizon, policy.CongestionThresholdPercent / 100) : null;
        var congestion = crossing is null ? null : new CongestionOutlook(crossing.At, crossing.Confidence, 100 * crossing.Upper, 100 * crossing.Expected, policy.CongestionThresholdPercent);
        var anomaly = fresh && monitor.LastAnomaly is { } a
            ? new AnomalyFinding(a.At, a.Score, 100 * a.Actual, 100 * a.Expected, 100 * a.RangeLow, 100 * a.RangeHigh)
            : null;
        return new SeriesVerdict(link.Link, direction, link.Region, link.DeviceA, link.InterfaceA, congestion, anomaly);
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan unit) => new(at.UtcTicks - (at.UtcTicks % unit.Ticks), TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Analytics of {Tenant}: {Links} links, {Fitted} fitted, {Short} with too little history to forecast (8 days needed), {Events} events")]
    private partial void LogRound(string tenant, int links, int fitted, int @short, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics of tenant {Tenant} failed this round; discovery and the API are not affected, and the next round tries again")]
    private partial void LogFailed(Exception ex, string tenant);
}
