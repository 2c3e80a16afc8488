namespace Pdsno.Analytics.Forecasting;

/// <summary>A predicted crossing: when the forecast's 95th percentile first reaches the threshold, how likely the expected load is to reach it there, and that percentile.</summary>
public sealed record PredictedCrossing(DateTimeOffset At, double Confidence, double Upper, double Expected);

/// <summary>A bucket that departed from what the model expected: its robust score (in spreads, signed), the value, and the normal range.</summary>
public sealed record BucketAnomaly(DateTimeOffset At, double Score, double Actual, double Expected, double RangeLow, double RangeHigh);

/// <summary>
/// One series watched over time without refitting: fitted once on its history (<see cref="SeriesAnalysis"/>), then
/// each new bucket (the median of its samples, so a glitched sample never reaches it) is scored against what the
/// model expected of it and taken in with one Holt-Winters update. Cheap enough to run every few minutes on every link.
/// </summary>
public sealed class SeriesMonitor
{
    private readonly DoubleSeasonalHoltWinters _model;
    private readonly AnalysisOptions _options;

    private SeriesMonitor(DoubleSeasonalHoltWinters model, DateTimeOffset next, DateTimeOffset fittedAt, AnalysisOptions options)
    {
        (_model, Next, FittedAt, _options) = (model, next, fittedAt, options);
    }

    /// <summary>When the next bucket the model has not seen starts.</summary>
    public DateTimeOffset Next { get; private set; }

    /// <summary>When the model was fitted: it is refitted after a while, so it follows a network that changed.</summary>
    public DateTimeOffset FittedAt { get; }

    /// <summary>The anomaly among the buckets taken in by the last <see cref="Advance"/>, if any: the strongest of a departing run at its end.</summary>
    public BucketAnomaly? LastAnomaly { get; private set; }

    /// <summary>Fits a monitor to samples every <paramref name="step"/> from <paramref name="start"/> (NaN where unmeasured).</summary>
    /// <exception cref="InsufficientHistoryException">The samples span too little time.</exception>
    public static SeriesMonitor Start(DateTimeOffset start, TimeSpan step, double[] samples, AnalysisOptions options)
    {
        var analysis = SeriesAnalysis.Fit(start, step, samples, options);
        return new SeriesMonitor(analysis.Model, analysis.End, analysis.End, options);
    }

    /// <summary>
    /// Takes in the whole buckets of samples every <paramref name="step"/> from <see cref="Next"/> (what lies before it
    /// is ignored), scoring each before the model learns it; returns how many buckets it took in. A bucket departs
    /// when its robust score reaches the options' anomaly threshold; an anomaly is a bucket that departs in the same
    /// direction as the one before it, so it lasted at least two buckets.
    /// </summary>
    public int Advance(DateTimeOffset start, TimeSpan step, ReadOnlySpan<double> samples)
    {
        LastAnomaly = null;
        var perBucket = (int)(_options.BucketSize / step);
        var skip = (int)Math.Ceiling((Next - start) / step);
        if (skip < 0 || perBucket < 1)
        {
            throw new ArgumentException($"samples from {start:O} at {step} leave a gap before {Next:O}", nameof(start));
        }

        if (skip >= samples.Length)
        {
            return 0;
        }

        var buckets = Buckets.Medians(samples[skip..], perBucket);
        double? previous = null;
        foreach (var b in buckets)
        {
            var expected = _model.NextExpected;
            var spread = Math.Max(_model.Sigma, 1e-4);
            if (!double.IsNaN(b))
            {
                var score = (b - expected) / spread;
                var departs = Math.Abs(score) >= _options.AnomalyThreshold;
                if (departs && previous is { } p && Math.Sign(p) == Math.Sign(score) && (LastAnomaly is null || Math.Abs(score) >= Math.Abs(LastAnomaly.Score)))
                {
                    var range = _options.AnomalyThreshold * spread;
                    LastAnomaly = new BucketAnomaly(Next, score, b, expected, Math.Max(0, expected - range), expected + range);
                }

                previous = departs ? score : null;
            }

            _model.Update(b);
            Next += _options.BucketSize;
        }

        return buckets.Length;
    }

    /// <summary>
    /// The first bucket within <paramref name="horizon"/> whose 95th percentile (the upper bound of the options'
    /// interval) reaches <paramref name="threshold"/>, with the chance that the load itself reaches it there; null when none does.
    /// </summary>
    public PredictedCrossing? Predict(TimeSpan horizon, double threshold)
    {
        var bands = _model.Forecast((int)Math.Ceiling(horizon / _options.BucketSize), _options.IntervalZ);
        if (RunOut.FirstCrossing(bands, threshold) is not { } first)
        {
            return null;
        }

        var b = bands[first];
        var sigma = (b.Upper - b.Expected) / _options.IntervalZ;
        var confidence = sigma <= 0 ? (b.Expected >= threshold ? 1 : 0) : NormalCdf((b.Expected - threshold) / sigma);
        return new PredictedCrossing(Next + (_options.BucketSize * first), confidence, Math.Min(b.Upper, 1), Math.Clamp(b.Expected, 0, 1));
    }

    // Abramowitz and Stegun 7.1.26: a few parts in ten million, more than a confidence needs.
    private static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erf = 1 - (poly * Math.Exp(-x * x));
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
