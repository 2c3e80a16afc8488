using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions.Security;
using Pdsno.Analytics.Forecasting;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Types;
using Pdsno.GraphQL.Security;
using Pdsno.Storage.ReadModel;
using Pdsno.Storage.Telemetry;

namespace Pdsno.GraphQL.Analytics;

/// <summary>
/// The analytics fields: history on interfaces and links, link forecasts, and the sandbox backfill. History is read
/// only through an interface or link the caller could already see, so tenancy and region limits carry over.
/// </summary>
public static class AnalyticsFields
{
    /// <summary>How much history a forecast is fitted on.</summary>
    public static readonly TimeSpan ForecastHistory = TimeSpan.FromDays(28);

    private static readonly TimeSpan ReadBucket = TimeSpan.FromMinutes(5);

    private static readonly string[] AnomalyTypes = [nameof(Abstractions.Events.TopologyEventType.AnomalyDetected)];

    /// <summary>Adds <c>utilization</c> to <c>Interface</c>.</summary>
    public static void AddInterfaceFields(ObjectGraphType<InterfaceRecord> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        WindowArguments(type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<UtilizationPointGraphType>>>>("utilization"))
            .Description("The interface's rate history in [since, until), oldest first, from the durable history; empty where nothing was recorded.")
            .Resolve(c => History(c).Load(Key(c, c.Source.Device, c.Source.Name)));
    }

    /// <summary>Adds <c>utilization</c> and <c>forecast</c> to <c>Link</c>.</summary>
    public static void AddLinkFields(ObjectGraphType<LinkRecord> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        WindowArguments(type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<LinkUtilizationPointGraphType>>>>("utilization"))
            .Description("The link's rate history in [since, until) by direction, as its A end recorded it, oldest first.")
            .Resolve(c => History(c).Load(Key(c, c.Source.DeviceA, c.Source.InterfaceA)).Then(points => (IReadOnlyList<LinkUtilizationPoint>)
                [.. points.Select(p => new LinkUtilizationPoint(p.At, p.OutBps, p.InBps, p.OutMaxBps, p.InMaxBps, p.SpeedBps))]));

        type.Field<NonNullGraphType<LinkForecastGraphType>>("forecast")
            .Description("The link's forecast for the horizon, both directions, with 90% intervals, the first threshold crossing and the run-out date. INSUFFICIENT_HISTORY when the link has less than eight days of history.")
            .Argument<ForecastHorizonGraphType>("horizon", "How far ahead (default DAY).")
            .Argument<FloatGraphType>("threshold", "The utilization (%) that counts as running out (default 80).")
            .Resolve(c =>
            {
                var horizon = c.GetArgument("horizon", ForecastHorizon.Day);
                var threshold = c.GetArgument("threshold", 80.0);
                if (threshold is <= 0 or > 100)
                {
                    throw PdsnoError.BadUserInput($"threshold: {threshold} must be a percentage above 0 and at most 100");
                }

                var until = Floor(Now(c), AnalysisOptions.Default.BucketSize);
                var link = c.Source;
                return History(c).Load(new HistoryKey(link.DeviceA, link.InterfaceA, until - ForecastHistory, until, ReadBucket))
                    .Then(points => Forecast(link, points, until, horizon, threshold / 100));
            });
    }

    /// <summary>Adds <c>backfillHistory</c>.</summary>
    public static void AddMutations(ObjectGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<NonNullGraphType<BackfillHistoryPayloadGraphType>>("backfillHistory")
            .Requires(Roles.Operator)
            .Description("Sandbox: replaces the last days of interface history of the simulated regions with generated traffic (daily and weekly seasons, growth, noise, injected events and counter glitches), so forecasts have weeks of history at once.")
            .Argument<BackfillHistoryInputGraphType>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<BackfillHistoryInput?>("input") ?? new BackfillHistoryInput();
                var region = input.RegionId is null ? null : Mutation.Key(input.RegionId, Relay.GlobalId.Region);
                // A backfill is bounded by its sample limit, not by the request's execution time: weeks of a network's history
                // take longer to write than any request may run, and a cancelled one would only roll its transaction back.
                return await c.RequestServices!.GetRequiredService<AnalyticsCommands>().BackfillAsync(c.Caller(), region, input.Days, input.StepSeconds, CancellationToken.None, input.Ramps);
            });
    }

    /// <summary>Adds <c>anomalies</c>: the ANOMALY_DETECTED events of the log, in the regions the caller sees.</summary>
    public static void AddQueries(ObjectGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ConnectionGraphType<TopologyEventGraphType, EventRecord>>>("anomalies")
            .Description("Anomalies the analysis detected (ANOMALY_DETECTED events, oldest first): the link and the device and interface that measured it, and in newValue the direction, score, value and expected range.")
            .Argument<AnomalyFilterGraphType>("filter")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var filter = c.GetArgument<AnomalyFilter?>("filter") ?? new AnomalyFilter();
                if (filter.From is { } from && filter.To is { } to && from >= to)
                {
                    throw PdsnoError.BadUserInput($"filter.from: {from:O} must be before filter.to ({to:O})");
                }

                var region = filter.RegionId is { } r ? GlobalId.KeyOf(r, GlobalId.Region, "regionId") : null;
                var device = filter.DeviceId is { } d ? (await DeviceArguments.ResolveAsync(c, d, "deviceId")).Key : null;
                var events = new EventQuery(0, AnomalyTypes, region, device, c.Scope(), OccurredFrom: filter.From, OccurredTo: filter.To);
                var (reader, tenant) = (c.Reader(), c.Tenant());
                return await Connections.PageAsync<EventRecord>(
                    c, "event", e => e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    (page, ct) => reader.ReadEventsPageAsync(tenant, events, page, ct),
                    ct => reader.CountEventsAsync(tenant, events, ct),
                    Cursor.IsSequence);
            });
    }

    /// <summary>Adds <c>setAnalyticsPolicy</c>.</summary>
    public static void AddPolicyMutation(ObjectGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<NonNullGraphType<Mutations.GlobalPolicyPayloadGraphType>>("setAnalyticsPolicy")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Stores a new global policy version with these analytics rules (omitted values keep theirs): history retention, when a forecast raises CONGESTION_PREDICTED, and the closed loop per region.")
            .Argument<NonNullGraphType<SetAnalyticsPolicyInputGraphType>>("input")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AnalyticsCommands>().SetPolicyAsync(c.Caller(), c.GetArgument<SetAnalyticsPolicyInput>("input")));
    }

    private static FieldBuilder<TSource, object> WindowArguments<TSource>(FieldBuilder<TSource, object> field) => field
        .Argument<DateTimeOffsetGraphType>("since", "The start of the window (default: a day before until).")
        .Argument<DateTimeOffsetGraphType>("until", "The end of the window (default: now).")
        .Argument<IntGraphType>("step", $"Seconds per point, 60 to 86400 (default: the finest of 1 minute, 5 minutes, 15 minutes, 1 hour, 6 hours and 1 day that keeps within {UtilizationWindow.MaxPoints} points).");

    private static HistoryKey Key(IResolveFieldContext c, string device, string name)
    {
        var (since, until, bucket) = UtilizationWindow.Parse(c.GetArgument<DateTimeOffset?>("since"), c.GetArgument<DateTimeOffset?>("until"), c.GetArgument<int?>("step"), Now(c));
        return new HistoryKey(device, name, since, until, bucket);
    }

    private static LinkForecast Forecast(LinkRecord link, IReadOnlyList<HistoryPoint> points, DateTimeOffset until, ForecastHorizon horizon, double threshold)
    {
        var since = until - ForecastHistory;
        var count = (int)(ForecastHistory / ReadBucket);
        var (aToB, bToA) = HistorySeries.Of(points, since, ReadBucket, count);
        var options = AnalysisOptions.Default with { Threshold = threshold };
        var span = horizon switch { ForecastHorizon.Hour => TimeSpan.FromHours(1), ForecastHorizon.Week => TimeSpan.FromDays(7), _ => TimeSpan.FromDays(1) };
        try
        {
            DirectionForecast Direction(double[] series)
            {
                var f = SeriesAnalysis.Fit(since, ReadBucket, series, options).Forecast(span);
                return new DirectionForecast(f.Points, f.CrossesAt, f.RunOutAt);
            }

            return new LinkForecast(horizon, (int)options.BucketSize.TotalSeconds, threshold * 100, until, Direction(aToB), Direction(bToA));
        }
        catch (InsufficientHistoryException ex)
        {
            throw new PdsnoError(ErrorCodes.InsufficientHistory, $"link '{link.Key}': {ex.Message}");
        }
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan unit) => new(at.UtcTicks - (at.UtcTicks % unit.Ticks), TimeSpan.Zero);

    private static DateTimeOffset Now(IResolveFieldContext c) => (c.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    private static HistoryLoader History(IResolveFieldContext c) => HistoryLoader.For(c);
}
