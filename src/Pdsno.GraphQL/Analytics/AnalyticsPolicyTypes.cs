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
        Description = "How long interface history is kept and when a forecast raises CONGESTION_PREDICTED.";
        Field(x => x.MinuteRetentionDays).Description("Days the 1-minute history (average and highest) is kept.");
        Field(x => x.HourlyRetentionDays).Description("Days the 1-hour rollup is kept.");
        Field(x => x.CongestionThresholdPercent).Description("The utilization the forecast's 95th percentile must reach to predict congestion.");
        Field<NonNullGraphType<IntGraphType>>("congestionHorizonSeconds").Description("How far ahead a predicted crossing raises an event.").Resolve(c => (int)c.Source.CongestionHorizon.TotalSeconds);
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
    }
}
