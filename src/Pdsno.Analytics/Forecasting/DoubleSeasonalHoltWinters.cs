namespace Pdsno.Analytics.Forecasting;

/// <summary>
/// Additive Holt-Winters with a daily and a weekly season (Taylor's double-seasonal form) over evenly spaced buckets,
/// made robust: an observation further than <see cref="ClipSigmas"/> spreads from the forecast updates the model as
/// if it were only that far, so an anomaly or a glitch bends the model a little instead of teaching it.
/// </summary>
public sealed class DoubleSeasonalHoltWinters
{
    /// <summary>How many spreads from the forecast an observation may pull the model.</summary>
    public const double ClipSigmas = 3;

    private const double SpreadWeight = 0.01;

    private readonly int _daily;
    private readonly int _weekly;
    private readonly double[] _day;
    private readonly double[] _week;
    private double _level;
    private double _trend;
    private double _meanAbsError;
    private long _t;

    private DoubleSeasonalHoltWinters(HoltWintersParameters parameters, int daily, double level, double trend, double[] day, double[] week, double meanAbsError, long t)
    {
        Parameters = parameters;
        _daily = daily;
        _weekly = daily * 7;
        _level = level;
        _trend = trend;
        _day = day;
        _week = week;
        _meanAbsError = meanAbsError;
        _t = t;
    }

    /// <summary>The smoothing weights in use.</summary>
    public HoltWintersParameters Parameters { get; }

    /// <summary>The standard deviation of a one-step error, from the smoothed mean absolute error.</summary>
    public double Sigma => 1.25 * _meanAbsError;

    /// <summary>The forecast for the next bucket.</summary>
    public double NextExpected => _level + _trend + _day[_t % _daily] + _week[_t % _weekly];

    /// <summary>The fewest buckets a fit accepts: a week to start the seasons from and a day to fit on.</summary>
    public static int MinimumLength(int dailyPeriod) => 8 * dailyPeriod;

    /// <summary>
    /// Fits the model to <paramref name="buckets"/> (NaN where nothing was measured), choosing the weights of
    /// <see cref="HoltWintersParameters.Grid"/> with the least one-step error, and leaves it after the last bucket.
    /// </summary>
    /// <param name="buckets">The series, oldest first; at least <see cref="MinimumLength"/> buckets.</param>
    /// <param name="dailyPeriod">Buckets in a day.</param>
    /// <param name="fitted">When given (as long as the series), receives the value the model expected for each bucket before seeing it.</param>
    /// <param name="grid">The weights to choose from; the default grid when null.</param>
    /// <param name="firstDay">The weekday the series starts on (at midnight), so weekdays and weekend days start their
    /// weekly season apart; null when unknown (the weekly season then starts flat and is learnt).</param>
    public static DoubleSeasonalHoltWinters Fit(ReadOnlySpan<double> buckets, int dailyPeriod, Span<double> fitted = default, IReadOnlyList<HoltWintersParameters>? grid = null, DayOfWeek? firstDay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dailyPeriod, 2);
        if (buckets.Length < MinimumLength(dailyPeriod))
        {
            throw new ArgumentException($"{buckets.Length} buckets are too few: the model needs at least {MinimumLength(dailyPeriod)} (eight days)", nameof(buckets));
        }

        if (!fitted.IsEmpty && fitted.Length != buckets.Length)
        {
            throw new ArgumentException("fitted must be as long as the series", nameof(fitted));
        }

        grid ??= HoltWintersParameters.Grid;
        var weekly = 7 * dailyPeriod;
        var holdOut = buckets.Length >= MinimumLength(dailyPeriod) + weekly;
        HoltWintersParameters? best = null;
        var bestError = double.PositiveInfinity;
        foreach (var parameters in grid)
        {
            // With a week to spare the weights are judged as they will be used, forecasting a whole week ahead;
            // with less, by their one-step errors.
            var error = holdOut ? WeekAheadError(buckets, dailyPeriod, parameters, firstDay) : OneStepError(buckets, dailyPeriod, parameters, firstDay);
            if (error < bestError || best is null)
            {
                (best, bestError) = (parameters, error);
            }
        }

        var model = Start(buckets, dailyPeriod, best!, firstDay);
        for (var i = weekly; i < buckets.Length; i++)
        {
            if (!fitted.IsEmpty)
            {
                fitted[i] = model.NextExpected;
            }

            model.Update(buckets[i]);
        }

        if (!fitted.IsEmpty)
        {
            var start = Start(buckets, dailyPeriod, best!, firstDay);
            for (var i = 0; i < weekly; i++)
            {
                fitted[i] = start._level - (start._trend * (weekly - i)) + start._day[i % dailyPeriod] + start._week[i];
            }
        }

        return model;
    }

    private static double OneStepError(ReadOnlySpan<double> buckets, int dailyPeriod, HoltWintersParameters parameters, DayOfWeek? firstDay)
    {
        var model = Start(buckets, dailyPeriod, parameters, firstDay);
        var error = 0.0;
        for (var i = model._weekly; i < buckets.Length; i++)
        {
            var e = model.Update(buckets[i]);
            if (i >= model._weekly + dailyPeriod && !double.IsNaN(e))
            {
                error += e * e;
            }
        }

        return error;
    }

    private static double WeekAheadError(ReadOnlySpan<double> buckets, int dailyPeriod, HoltWintersParameters parameters, DayOfWeek? firstDay)
    {
        var train = buckets[..^(7 * dailyPeriod)];
        var model = Start(train, dailyPeriod, parameters, firstDay);
        for (var i = model._weekly; i < train.Length; i++)
        {
            model.Update(train[i]);
        }

        var bands = model.Forecast(7 * dailyPeriod, 1);
        var error = 0.0;
        for (var k = 0; k < bands.Length; k++)
        {
            var actual = buckets[train.Length + k];
            if (!double.IsNaN(actual))
            {
                error += Math.Abs(actual - bands[k].Expected);
            }
        }

        return error;
    }

    /// <summary>Takes in the next bucket (NaN when nothing was measured); returns its one-step error after clipping, NaN for none.</summary>
    public double Update(double observed)
    {
        var (p, dayAt, weekAt) = (Parameters, (int)(_t % _daily), (int)(_t % _weekly));
        var expected = NextExpected;
        var error = observed - expected;
        if (double.IsNaN(observed))
        {
            // Nothing measured: the model carries on as it expected, learning nothing.
            _level += _trend;
            _t++;
            return double.NaN;
        }

        // The floor keeps a near-perfect fit from refusing every correction once its error estimate is tiny.
        var limit = Math.Max(ClipSigmas * Sigma, 1e-9 + (0.01 * Math.Abs(_level)));
        if (Math.Abs(error) > limit)
        {
            error = Math.CopySign(limit, error);
        }

        var y = expected + error;
        var previousLevel = _level;
        var (day, week) = (_day[dayAt], _week[weekAt]);
        _level = (p.Alpha * (y - day - week)) + ((1 - p.Alpha) * (_level + _trend));
        _trend = (p.Beta * (_level - previousLevel)) + ((1 - p.Beta) * _trend);
        _day[dayAt] = (p.Gamma * (y - _level - week)) + ((1 - p.Gamma) * day);
        _week[weekAt] = (p.Delta * (y - _level - day)) + ((1 - p.Delta) * week);
        _meanAbsError = ((1 - SpreadWeight) * _meanAbsError) + (SpreadWeight * Math.Abs(error));
        _t++;
        return error;
    }

    /// <summary>
    /// The next <paramref name="horizon"/> buckets with intervals of ± <paramref name="z"/> standard deviations; the
    /// spread grows with the horizon as the level and trend errors add up.
    /// </summary>
    public ForecastBand[] Forecast(int horizon, double z)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);
        var bands = new ForecastBand[horizon];
        var sigma = Sigma;
        var variance = 1.0;
        for (var k = 1; k <= horizon; k++)
        {
            var at = _t + k - 1;
            var expected = _level + (k * _trend) + _day[at % _daily] + _week[at % _weekly];
            var spread = z * sigma * Math.Sqrt(variance);
            bands[k - 1] = new ForecastBand(expected, expected - spread, expected + spread);
            var c = Parameters.Alpha * (1 + (k * Parameters.Beta));
            variance += c * c;
        }

        return bands;
    }

    /// <summary>
    /// Starts the model from the first two weeks (or the first one), with the trend (from the difference of the two
    /// weeks) taken out: the daily season is the median day, the weekly season what the median weekday or weekend day
    /// adds to it. Medians, so an event in the first weeks does not come back as an expectation a week later.
    /// </summary>
    private static DoubleSeasonalHoltWinters Start(ReadOnlySpan<double> y, int daily, HoltWintersParameters parameters, DayOfWeek? firstDay)
    {
        var weekly = daily * 7;
        var weeks = y.Length >= (2 * weekly) + daily ? 2 : 1;
        var firstMean = NanMean(y[..weekly]);
        var level = NanMean(y[..(weeks * weekly)]);
        if (double.IsNaN(level))
        {
            (level, firstMean) = (0, 0);
        }

        var trend = 0.0;
        if (weeks == 2)
        {
            var second = NanMean(y.Slice(weekly, weekly));
            trend = double.IsNaN(second) || double.IsNaN(firstMean) ? 0 : (second - firstMean) / weekly;
        }

        var span = weeks * weekly;
        var centre = (span - 1) / 2.0;
        var days = weeks * 7;
        var detrended = new double[span];
        for (var t = 0; t < span; t++)
        {
            detrended[t] = y[t] - level - (trend * (t - centre));
        }

        bool Weekend(int d) => firstDay is { } f && (DayOfWeek)(((int)f + d) % 7) is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var day = new double[daily];
        var week = new double[weekly];
        var (all, kind) = (new List<double>(days), new List<double>(days));
        for (var i = 0; i < daily; i++)
        {
            all.Clear();
            for (var d = 0; d < days; d++)
            {
                all.Add(detrended[(d * daily) + i]);
            }

            day[i] = NanMedian(all);
            for (var w = 0; w < 7; w++)
            {
                kind.Clear();
                for (var d = 0; d < days; d++)
                {
                    if (Weekend(d % 7) == Weekend(w))
                    {
                        kind.Add(detrended[(d * daily) + i]);
                    }
                }

                week[(w * daily) + i] = NanMedian(kind) - day[i];
            }
        }

        var (absSum, absN) = (0.0, 0);
        for (var t = 0; t < span; t++)
        {
            if (!double.IsNaN(detrended[t]))
            {
                (absSum, absN) = (absSum + Math.Abs(detrended[t] - day[t % daily] - week[t % weekly]), absN + 1);
            }
        }

        return new DoubleSeasonalHoltWinters(parameters, daily, level + (trend * (weekly - centre)), trend, day, week, absN == 0 ? 0 : absSum / absN, weekly);
    }

    private static double NanMedian(List<double> values)
    {
        values.RemoveAll(double.IsNaN);
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static double NanMean(ReadOnlySpan<double> values)
    {
        var (sum, n) = (0.0, 0);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                (sum, n) = (sum + v, n + 1);
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }
}
