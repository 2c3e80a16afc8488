using GraphQL.Types;
using Pdsno.Analytics.Forecasting;
using Pdsno.GraphQL.Mutations;
using Pdsno.Storage.Telemetry;

namespace Pdsno.GraphQL.Analytics;

/// <summary>One point of a link's history, by direction: A to B is what leaves the A end.</summary>
public sealed record LinkUtilizationPoint(DateTimeOffset At, double AToBBps, double BToABps, double AToBMaxBps, double BToAMaxBps, long SpeedBps);

/// <summary>The forecast of one direction of a link, in percent of its speed.</summary>
public sealed record DirectionForecast(IReadOnlyList<ForecastPoint> Points, DateTimeOffset? CrossesAt, DateTimeOffset? RunOutAt);

/// <summary>A link's forecast: both directions, the threshold, and the earliest crossing and run-out of either.</summary>
public sealed record LinkForecast(ForecastHorizon Horizon, int BucketSeconds, double Threshold, DateTimeOffset HistoryUntil, DirectionForecast AToB, DirectionForecast BToA)
{
    /// <summary>The earlier run-out date of the two directions.</summary>
    public DateTimeOffset? RunOutAt => Earliest(AToB.RunOutAt, BToA.RunOutAt);

    /// <summary>The earlier threshold crossing of the two directions within the horizon.</summary>
    public DateTimeOffset? CrossesAt => Earliest(AToB.CrossesAt, BToA.CrossesAt);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

/// <summary>How far ahead a forecast looks.</summary>
public enum ForecastHorizon
{
    /// <summary>The next hour.</summary>
    Hour,

    /// <summary>The next day.</summary>
    Day,

    /// <summary>The next week.</summary>
    Week,
}

/// <summary>GraphQL <c>ForecastHorizon</c>.</summary>
public sealed class ForecastHorizonGraphType : EnumerationGraphType<ForecastHorizon>
{
    /// <summary>Declares the values.</summary>
    public ForecastHorizonGraphType()
    {
        Name = "ForecastHorizon";
        Description = "How far ahead a forecast looks.";
    }
}

/// <summary>GraphQL <c>UtilizationPoint</c>: an interface's rates over one bucket of its history.</summary>
public sealed class UtilizationPointGraphType : ObjectGraphType<HistoryPoint>
{
    /// <summary>Declares the fields.</summary>
    public UtilizationPointGraphType()
    {
        Name = "UtilizationPoint";
        Description = "An interface's rates over one bucket of its history: averages and the highest sample.";
        Field(x => x.At).Description("The start of the bucket.");
        Field("inBitsPerSecond", x => x.InBps).Description("The average inbound rate.");
        Field("outBitsPerSecond", x => x.OutBps).Description("The average outbound rate.");
        Field("inMaxBitsPerSecond", x => x.InMaxBps).Description("The highest inbound sample.");
        Field("outMaxBitsPerSecond", x => x.OutMaxBps).Description("The highest outbound sample.");
        Field<FloatGraphType>("inUtilization").Description("The average inbound rate as % of the interface speed; null when the speed is unknown.").Resolve(c => Percent(c.Source.InBps, c.Source.SpeedBps));
        Field<FloatGraphType>("outUtilization").Description("The average outbound rate as % of the interface speed; null when the speed is unknown.").Resolve(c => Percent(c.Source.OutBps, c.Source.SpeedBps));
    }

    internal static double? Percent(double bps, long speed) => speed > 0 ? 100 * bps / speed : null;
}

/// <summary>GraphQL <c>LinkUtilizationPoint</c>.</summary>
public sealed class LinkUtilizationPointGraphType : ObjectGraphType<LinkUtilizationPoint>
{
    /// <summary>Declares the fields.</summary>
    public LinkUtilizationPointGraphType()
    {
        Name = "LinkUtilizationPoint";
        Description = "A link's rates over one bucket of its history, by direction (A to B leaves the A end), as its A end measured them.";
        Field(x => x.At).Description("The start of the bucket.");
        Field("aToBBitsPerSecond", x => x.AToBBps).Description("The average rate from A to B.");
        Field("bToABitsPerSecond", x => x.BToABps).Description("The average rate from B to A.");
        Field("aToBMaxBitsPerSecond", x => x.AToBMaxBps).Description("The highest sample from A to B.");
        Field("bToAMaxBitsPerSecond", x => x.BToAMaxBps).Description("The highest sample from B to A.");
        Field<FloatGraphType>("aToBUtilization").Description("The average rate from A to B as % of the speed; null when the speed is unknown.").Resolve(c => UtilizationPointGraphType.Percent(c.Source.AToBBps, c.Source.SpeedBps));
        Field<FloatGraphType>("bToAUtilization").Description("The average rate from B to A as % of the speed; null when the speed is unknown.").Resolve(c => UtilizationPointGraphType.Percent(c.Source.BToABps, c.Source.SpeedBps));
    }
}

/// <summary>GraphQL <c>ForecastPoint</c>.</summary>
public sealed class ForecastPointGraphType : ObjectGraphType<ForecastPoint>
{
    /// <summary>Declares the fields.</summary>
    public ForecastPointGraphType()
    {
        Name = "ForecastPoint";
        Description = "The forecast for one bucket, in % of the link's speed, with its 90% prediction interval.";
        Field(x => x.At).Description("The start of the bucket.");
        Field<NonNullGraphType<FloatGraphType>>("expected").Resolve(c => 100 * c.Source.Expected);
        Field<NonNullGraphType<FloatGraphType>>("lower").Description("The 5th percentile.").Resolve(c => 100 * c.Source.Lower);
        Field<NonNullGraphType<FloatGraphType>>("upper").Description("The 95th percentile.").Resolve(c => 100 * c.Source.Upper);
    }
}

/// <summary>GraphQL <c>DirectionForecast</c>.</summary>
public sealed class DirectionForecastGraphType : ObjectGraphType<DirectionForecast>
{
    /// <summary>Declares the fields.</summary>
    public DirectionForecastGraphType()
    {
        Name = "DirectionForecast";
        Description = "The forecast of one direction of a link.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ForecastPointGraphType>>>>("points").Resolve(c => c.Source.Points);
        Field(x => x.CrossesAt, nullable: true).Description("The first bucket whose 95th percentile reaches the threshold; null when none does within the horizon.");
        Field(x => x.RunOutAt, nullable: true).Description("When the trend of the daily 95th percentiles reaches the threshold; null when it does not within a year.");
    }
}

/// <summary>GraphQL <c>LinkForecast</c>.</summary>
public sealed class LinkForecastGraphType : ObjectGraphType<LinkForecast>
{
    /// <summary>Declares the fields.</summary>
    public LinkForecastGraphType()
    {
        Name = "LinkForecast";
        Description = "A link's forecast from its history (double-seasonal Holt-Winters over fifteen-minute buckets, refitted on each request).";
        Field(x => x.Horizon, type: typeof(NonNullGraphType<ForecastHorizonGraphType>));
        Field(x => x.BucketSeconds);
        Field(x => x.Threshold).Description("The utilization (%) that counts as running out.");
        Field(x => x.HistoryUntil).Description("The end of the history the forecast was fitted on; the first point starts here.");
        Field<NonNullGraphType<DirectionForecastGraphType>>("aToB").Resolve(c => c.Source.AToB);
        Field<NonNullGraphType<DirectionForecastGraphType>>("bToA").Resolve(c => c.Source.BToA);
        Field(x => x.CrossesAt, nullable: true).Description("The earlier threshold crossing of the two directions within the horizon.");
        Field(x => x.RunOutAt, nullable: true).Description("The earlier run-out date of the two directions.");
    }
}

/// <summary>Input of <c>backfillHistory</c>.</summary>
public sealed class BackfillHistoryInput
{
    /// <summary>One region to fill; omitted: every region of the caller.</summary>
    public string? RegionId { get; set; }

    /// <summary>Days of history up to now.</summary>
    public int Days { get; set; } = 28;

    /// <summary>Seconds between samples.</summary>
    public int StepSeconds { get; set; } = 300;

    /// <summary>Links whose traffic ramps up over the filled days.</summary>
    public List<HistoryRampInput>? Ramps { get; set; }
}

/// <summary>A slow ramp injected into a link's backfilled traffic.</summary>
public sealed class HistoryRampInput
{
    /// <summary>The link.</summary>
    public string LinkId { get; set; } = "";

    /// <summary>The share of the link's speed (percent) the ramp adds by now, from nothing at the start.</summary>
    public double Percent { get; set; }
}

/// <summary>GraphQL <c>HistoryRampInput</c>.</summary>
public sealed class HistoryRampInputGraphType : InputObjectGraphType<HistoryRampInput>
{
    /// <summary>Declares the fields.</summary>
    public HistoryRampInputGraphType()
    {
        Name = "HistoryRampInput";
        Description = "A slow ramp: both directions of the link carry more and more traffic over the filled days, up to percent of its speed more by now.";
        Field(x => x.LinkId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Percent).Description("Percent of the link's speed the ramp adds by now, above 0 and at most 100.");
    }
}

/// <summary>GraphQL <c>BackfillHistoryInput</c>.</summary>
public sealed class BackfillHistoryInputGraphType : InputObjectGraphType<BackfillHistoryInput>
{
    /// <summary>Declares the fields.</summary>
    public BackfillHistoryInputGraphType()
    {
        Name = "BackfillHistoryInput";
        Field(x => x.RegionId, type: typeof(IdGraphType)).Description("One region to fill; omitted: every region the token reaches.");
        Field(x => x.Days, nullable: true).Description($"Days of history up to now, 1 to {AnalyticsCommands.MaxDays} (default 28).");
        Field(x => x.StepSeconds, nullable: true).Description("Seconds between samples: at least 60 and dividing 900 (default 300).");
        Field(x => x.Ramps, type: typeof(ListGraphType<NonNullGraphType<HistoryRampInputGraphType>>)).Description("Slow ramps injected into links' traffic (a link heading for congestion).");
    }
}

/// <summary>GraphQL <c>BackfillHistoryPayload</c>.</summary>
public sealed class BackfillHistoryPayloadGraphType : ObjectGraphType<CommandResult<BackfillOutcome>>
{
    /// <summary>Declares the fields.</summary>
    public BackfillHistoryPayloadGraphType()
    {
        Name = "BackfillHistoryPayload";
        Field<IntGraphType>("interfaces").Description("Interfaces whose history was replaced.").Resolve(c => c.Source.Value?.Interfaces);
        Field<LongGraphType>("samples").Description("Rows written.").Resolve(c => c.Source.Value?.Samples);
        Field<DateTimeOffsetGraphType>("since").Resolve(c => c.Source.Value?.Since);
        Field<DateTimeOffsetGraphType>("until").Resolve(c => c.Source.Value?.Until);
        Field<IntGraphType>("stepSeconds").Resolve(c => c.Source.Value?.StepSeconds);
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("regions").Description("The simulated regions filled.").Resolve(c => c.Source.Value?.Regions);
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("skippedRegions").Description("Regions left alone because another driver discovers them.").Resolve(c => c.Source.Value?.SkippedRegions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Resolve(c => c.Source.Errors);
    }
}
