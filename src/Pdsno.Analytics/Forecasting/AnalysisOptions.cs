namespace Pdsno.Analytics.Forecasting;

/// <summary>How a series is analysed.</summary>
/// <param name="BucketSize">The model's resolution: samples are reduced to one median per bucket; must divide a day.</param>
/// <param name="Threshold">The utilization (share of capacity) that counts as running out.</param>
/// <param name="IntervalZ">Standard deviations either side of a forecast: 1.645 makes a 90% interval.</param>
/// <param name="Sustained">How long a departure must last to be an anomaly.</param>
/// <param name="AnomalyThreshold">The robust score (in standard deviations) from which a sample departs.</param>
public sealed record AnalysisOptions(
    TimeSpan BucketSize,
    double Threshold = 0.8,
    double IntervalZ = 1.645,
    TimeSpan? Sustained = null,
    double AnomalyThreshold = 5)
{
    /// <summary>Fifteen-minute buckets, 80% threshold, 90% intervals, anomalies of at least fifteen minutes.</summary>
    public static AnalysisOptions Default { get; } = new(TimeSpan.FromMinutes(15));

    /// <summary>The problem with these options, or null when there is none.</summary>
    public string? Problem(TimeSpan sampleStep)
    {
        if (BucketSize <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % BucketSize.Ticks != 0)
        {
            return $"bucket size {BucketSize} must divide a day";
        }

        if (sampleStep <= TimeSpan.Zero || BucketSize.Ticks % sampleStep.Ticks != 0)
        {
            return $"sample step {sampleStep} must divide the bucket size {BucketSize}";
        }

        if (Threshold is <= 0 or > 1)
        {
            return $"threshold {Threshold} must be a share of capacity above 0 and at most 1";
        }

        return IntervalZ <= 0 ? $"intervalZ {IntervalZ} must be positive" : null;
    }
}
