using GraphQL.Types;

namespace Pdsno.GraphQL.Analytics;

/// <summary>Filter of <c>anomalies</c>: every criterion is optional and they combine.</summary>
public sealed class AnomalyFilter
{
    /// <summary>Only anomalies of links this region owns.</summary>
    public string? RegionId { get; set; }

    /// <summary>Only anomalies measured at this device.</summary>
    public string? DeviceId { get; set; }

    /// <summary>Only anomalies detected at or after this time.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Only anomalies detected before this time.</summary>
    public DateTimeOffset? To { get; set; }
}

/// <summary>GraphQL <c>AnomalyFilter</c>.</summary>
public sealed class AnomalyFilterGraphType : InputObjectGraphType<AnomalyFilter>
{
    /// <summary>Declares the fields.</summary>
    public AnomalyFilterGraphType()
    {
        Name = "AnomalyFilter";
        Field(x => x.RegionId, type: typeof(IdGraphType)).Description("Only anomalies of links this region owns.");
        Field(x => x.DeviceId, type: typeof(IdGraphType)).Description("Only anomalies measured at this device (global id, key, or name where it is unique).");
        Field(x => x.From, nullable: true).Description("Only anomalies detected at or after this time.");
        Field(x => x.To, nullable: true).Description("Only anomalies detected before this time.");
    }
}
