using System.Collections.Immutable;
using GraphQL.Types;
using Pdsno.Abstractions.Policy;

namespace Pdsno.GraphQL.Analytics;

/// <summary>GraphQL <c>AnalyticsPolicy</c>.</summary>
public sealed class AnalyticsPolicyGraphType : ObjectGraphType<AnalyticsPolicy>
{
    /// <summary>Declares the fields.</summary>
    public AnalyticsPolicyGraphType()
    {
        Name = "AnalyticsPolicy";
        Description = "How long interface history is kept, when a forecast raises CONGESTION_PREDICTED, and what the closed loop may do then.";
        Field(x => x.MinuteRetentionDays).Description("Days the 1-minute history (average and highest) is kept.");
        Field(x => x.HourlyRetentionDays).Description("Days the 1-hour rollup is kept.");
        Field(x => x.CongestionThresholdPercent).Description("The utilization the forecast's 95th percentile must reach to predict congestion.");
        Field<NonNullGraphType<IntGraphType>>("congestionHorizonSeconds").Description("How far ahead a predicted crossing raises an event.").Resolve(c => (int)c.Source.CongestionHorizon.TotalSeconds);
        Field<NonNullGraphType<ClosedLoopModeGraphType>>("closedLoop").Description("What a predicted congestion does to the intents over the link, in regions not listed in closedLoopRegions.").Resolve(c => c.Source.ClosedLoop);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RegionClosedLoopGraphType>>>>("closedLoopRegions")
            .Description("The regions whose closed loop differs from closedLoop, by region id.")
            .Resolve(c => (c.Source.ClosedLoopRegions ?? ImmutableDictionary<string, ClosedLoopMode>.Empty).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RegionClosedLoop(r.Key, r.Value)).ToList());
    }
}

/// <summary>GraphQL <c>ClosedLoopMode</c>: OFF, PROPOSE, AUTO.</summary>
public sealed class ClosedLoopModeGraphType : EnumerationGraphType<ClosedLoopMode>
{
    /// <summary>Declares one value per <see cref="ClosedLoopMode"/> member.</summary>
    public ClosedLoopModeGraphType()
    {
        Name = "ClosedLoopMode";
        Description = "OFF: a predicted congestion is an event only. PROPOSE: the intents over the link are re-optimized and the reroute waits for an approver. AUTO: the reroute is installed by a change the change rules may count LOW, executed at once when it is.";
    }
}

/// <summary>One region's closed loop.</summary>
public sealed record RegionClosedLoop(string RegionId, ClosedLoopMode Mode);

/// <summary>GraphQL <c>RegionClosedLoop</c>.</summary>
public sealed class RegionClosedLoopGraphType : ObjectGraphType<RegionClosedLoop>
{
    /// <summary>Declares the fields.</summary>
    public RegionClosedLoopGraphType()
    {
        Name = "RegionClosedLoop";
        Field(x => x.RegionId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Mode, type: typeof(NonNullGraphType<ClosedLoopModeGraphType>));
    }
}

/// <summary>Input of one region's closed loop.</summary>
public sealed class RegionClosedLoopInput
{
    /// <summary>The region.</summary>
    public string RegionId { get; set; } = "";

    /// <summary>Its mode.</summary>
    public ClosedLoopMode Mode { get; set; }
}

/// <summary>GraphQL <c>RegionClosedLoopInput</c>.</summary>
public sealed class RegionClosedLoopInputGraphType : InputObjectGraphType<RegionClosedLoopInput>
{
    /// <summary>Declares the fields.</summary>
    public RegionClosedLoopInputGraphType()
    {
        Name = "RegionClosedLoopInput";
        Field(x => x.RegionId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Mode, type: typeof(NonNullGraphType<ClosedLoopModeGraphType>));
    }
}

/// <summary>Input of <c>setAnalyticsPolicy</c>: omitted values keep theirs.</summary>
public sealed class SetAnalyticsPolicyInput
{
    /// <summary>Days of 1-minute history.</summary>
    public int? MinuteRetentionDays { get; set; }

    /// <summary>Days of hourly history.</summary>
    public int? HourlyRetentionDays { get; set; }

    /// <summary>The congestion threshold, percent.</summary>
    public double? CongestionThresholdPercent { get; set; }

    /// <summary>The congestion horizon, seconds.</summary>
    public int? CongestionHorizonSeconds { get; set; }

    /// <summary>The tenant's closed loop.</summary>
    public ClosedLoopMode? ClosedLoop { get; set; }

    /// <summary>Every region whose loop differs (replacing the list held).</summary>
    public List<RegionClosedLoopInput>? ClosedLoopRegions { get; set; }
}

/// <summary>GraphQL <c>SetAnalyticsPolicyInput</c>.</summary>
public sealed class SetAnalyticsPolicyInputGraphType : InputObjectGraphType<SetAnalyticsPolicyInput>
{
    /// <summary>Declares the fields.</summary>
    public SetAnalyticsPolicyInputGraphType()
    {
        Name = "SetAnalyticsPolicyInput";
        Field(x => x.MinuteRetentionDays, nullable: true).Description("Days the 1-minute history is kept, 1 to 35 (default 7).");
        Field(x => x.HourlyRetentionDays, nullable: true).Description("Days the hourly rollup is kept, 8 to 400 (default 90).");
        Field(x => x.CongestionThresholdPercent, nullable: true).Description("Utilization that counts as congestion, above 0 and at most 100 (default 80).");
        Field(x => x.CongestionHorizonSeconds, nullable: true).Description("How far ahead a crossing raises CONGESTION_PREDICTED, 3600 to 604800 (default 86400).");
        Field(x => x.ClosedLoop, type: typeof(ClosedLoopModeGraphType)).Description("What a predicted congestion does to the intents over the link (default PROPOSE).");
        Field(x => x.ClosedLoopRegions, type: typeof(ListGraphType<NonNullGraphType<RegionClosedLoopInputGraphType>>))
            .Description("Regions whose closed loop differs, each once; replaces the list held (an empty list: every region follows closedLoop).");
    }
}
