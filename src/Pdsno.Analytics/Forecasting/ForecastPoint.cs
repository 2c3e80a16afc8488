namespace Pdsno.Analytics.Forecasting;

/// <summary>The forecast for the bucket starting at <see cref="At"/>: expected utilization and its prediction interval (shares of capacity).</summary>
public sealed record ForecastPoint(DateTimeOffset At, double Expected, double Lower, double Upper);

/// <summary>
/// A forecast of one series: its points, the first point whose upper bound reaches the threshold (null when none in
/// the horizon), and the run-out date from the trend of daily 95th percentiles (null when it does not come within a year).
/// </summary>
public sealed record SeriesForecast(IReadOnlyList<ForecastPoint> Points, DateTimeOffset? CrossesAt, DateTimeOffset? RunOutAt, double Threshold, HoltWintersParameters Parameters);

/// <summary>An anomaly of a series, in time: when it started and ended, its robust score and the range expected at its peak.</summary>
public sealed record DetectedAnomaly(DateTimeOffset Start, DateTimeOffset End, double Score, double Expected, double RangeLow, double RangeHigh);
