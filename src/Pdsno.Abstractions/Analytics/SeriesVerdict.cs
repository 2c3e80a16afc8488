namespace Pdsno.Abstractions.Analytics;

/// <summary>
/// What one analysis round concluded about one direction of a link (<c>A_TO_B</c> leaves the A end) or of an interface
/// without a link (<see cref="Link"/> empty; <c>OUT</c> or <c>IN</c>): the predicted congestion, if the forecast's 95th
/// percentile reaches the policy threshold within the policy horizon (links only), and the anomaly among the buckets new
/// since the last round, if one departed. A series too short of history has no verdict.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.series-verdict")]
public sealed record SeriesVerdict(
    [property: Id(0)] string Link,
    [property: Id(1)] string Direction,
    [property: Id(2)] string Region,
    [property: Id(3)] string Device,
    [property: Id(4)] string Interface,
    [property: Id(5)] CongestionOutlook? Congestion,
    [property: Id(6)] AnomalyFinding? Anomaly)
{
    /// <summary>The link (or, without one, <c>device:interface</c>) and direction, as analytics state names them.</summary>
    public string Key => (Link.Length > 0 ? Link : Device + ":" + Interface) + "|" + Direction;
}

/// <summary>A predicted crossing: when, how likely the load itself reaches the threshold then, and the forecast there (percent of the speed).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.congestion-outlook")]
public sealed record CongestionOutlook(
    [property: Id(0)] DateTimeOffset ExpectedAt,
    [property: Id(1)] double Confidence,
    [property: Id(2)] double UpperPercent,
    [property: Id(3)] double ExpectedPercent,
    [property: Id(4)] double ThresholdPercent);

/// <summary>A departure from what the model expected: when, its robust score, and the value and normal range (percent of the speed).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.anomaly-finding")]
public sealed record AnomalyFinding(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double Score,
    [property: Id(2)] double ActualPercent,
    [property: Id(3)] double ExpectedPercent,
    [property: Id(4)] double LowPercent,
    [property: Id(5)] double HighPercent);
