using Pdsno.Analytics.Anomalies;

namespace Pdsno.Analytics.Forecasting;

/// <summary>
/// One utilization series (shares of capacity, evenly spaced, NaN where unmeasured) fitted once: forecasts with
/// intervals, the threshold crossing and run-out date, and the anomalies of its history against the model.
/// </summary>
public sealed class SeriesAnalysis
{
    private readonly DateTimeOffset _start;
    private readonly TimeSpan _step;
    private readonly double[] _samples;
    private readonly double[] _fitted;
    private readonly int _perBucket;
    private readonly AnalysisOptions _options;
    private readonly DoubleSeasonalHoltWinters _model;

    private SeriesAnalysis(DateTimeOffset start, TimeSpan step, double[] samples, double[] fitted, int perBucket, AnalysisOptions options, DoubleSeasonalHoltWinters model)
    {
        (_start, _step, _samples, _fitted, _perBucket, _options, _model) = (start, step, samples, fitted, perBucket, options, model);
    }

    /// <summary>The fitted model.</summary>
    public DoubleSeasonalHoltWinters Model => _model;

    /// <summary>When the bucket after the history starts: the first forecast point.</summary>
    public DateTimeOffset End => _start + (_options.BucketSize * _fitted.Length);

    /// <summary>The history a forecast needs at <paramref name="bucketSize"/>.</summary>
    public static TimeSpan MinimumHistory(TimeSpan bucketSize) => bucketSize * DoubleSeasonalHoltWinters.MinimumLength((int)(TimeSpan.FromDays(1) / bucketSize));

    /// <summary>Fits a model to the samples taken every <paramref name="step"/> from <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentException">The options or the step do not fit together.</exception>
    /// <exception cref="InsufficientHistoryException">The samples span too little time.</exception>
    public static SeriesAnalysis Fit(DateTimeOffset start, TimeSpan step, double[] samples, AnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem(step) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        // The model's days start at midnight UTC, so it knows which of them are weekend days.
        var skip = (int)Math.Min(samples.Length, Math.Ceiling((start.UtcDateTime.Date.AddDays(start.UtcDateTime.TimeOfDay == TimeSpan.Zero ? 0 : 1) - start.UtcDateTime) / step));
        (start, samples) = (start + (step * skip), samples[skip..]);
        var perBucket = (int)(options.BucketSize / step);
        var daily = (int)(TimeSpan.FromDays(1) / options.BucketSize);
        var buckets = Buckets.Medians(samples, perBucket);
        if (buckets.Length < DoubleSeasonalHoltWinters.MinimumLength(daily))
        {
            throw new InsufficientHistoryException(step * samples.Length, MinimumHistory(options.BucketSize));
        }

        var known = buckets.Count(b => !double.IsNaN(b));
        if (known < DoubleSeasonalHoltWinters.MinimumLength(daily))
        {
            throw new InsufficientHistoryException(options.BucketSize * known, MinimumHistory(options.BucketSize));
        }

        var fitted = new double[buckets.Length];
        var model = DoubleSeasonalHoltWinters.Fit(buckets, daily, fitted, firstDay: start.UtcDateTime.DayOfWeek);
        return new SeriesAnalysis(start, step, samples, fitted, perBucket, options, model);
    }

    /// <summary>The forecast for the next <paramref name="horizon"/> (whole buckets), clamped to what a link can carry.</summary>
    public SeriesForecast Forecast(TimeSpan horizon)
    {
        var steps = (int)Math.Ceiling(horizon / _options.BucketSize);
        var bands = _model.Forecast(steps, _options.IntervalZ);
        var end = End;
        var points = new ForecastPoint[steps];
        for (var k = 0; k < steps; k++)
        {
            var b = bands[k];
            points[k] = new ForecastPoint(end + (_options.BucketSize * k), Math.Clamp(b.Expected, 0, 1), Math.Clamp(b.Lower, 0, 1), Math.Clamp(b.Upper, 0, 1));
        }

        var crossing = RunOut.FirstCrossing(bands, _options.Threshold);
        var perDay = (int)(TimeSpan.FromDays(1) / _step);
        var days = RunOut.DaysUntil(_samples, perDay, _options.Threshold);
        var lastSample = _start + (_step * _samples.Length);
        return new SeriesForecast(
            points,
            crossing is { } c ? points[c].At : null,
            days is { } d ? lastSample + TimeSpan.FromDays(d) : null,
            _options.Threshold,
            _model.Parameters);
    }

    /// <summary>The anomalies of the history from <paramref name="from"/> on, scored against what the model expected of each sample.</summary>
    public IReadOnlyList<DetectedAnomaly> Anomalies(DateTimeOffset from)
    {
        var first = Math.Clamp((int)Math.Ceiling((from - _start) / _step), 0, _samples.Length);
        var used = _fitted.Length * _perBucket;
        first = Math.Min(first, used);
        var expected = Buckets.Interpolate(_fitted, _perBucket, used);
        var detector = AnomalyDetector.ForStep(_step, _options.Sustained ?? _options.BucketSize) with { Threshold = _options.AnomalyThreshold };
        return [.. detector.Detect(_samples.AsSpan(first, used - first), expected.AsSpan(first))
            .Select(w => new DetectedAnomaly(_start + (_step * (first + w.Start)), _start + (_step * (first + w.End)), w.Score, w.Expected, w.RangeLow, w.RangeHigh))];
    }
}
