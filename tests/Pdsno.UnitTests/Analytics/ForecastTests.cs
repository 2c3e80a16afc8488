using Pdsno.Analytics.Evaluation;
using Pdsno.Analytics.Forecasting;
using Pdsno.Analytics.Traffic;

namespace Pdsno.UnitTests.Analytics;

public sealed class ForecastTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(15);

    [Fact]
    public void A_noiseless_double_seasonal_series_is_forecast_almost_exactly_a_week_ahead()
    {
        // Daily sine plus a weekday/weekend offset plus a trend: every part the model has a term for.
        static double Truth(int i) => 10 + (0.001 * i) + (3 * Math.Sin(2 * Math.PI * i / 96)) + ((i / 96 % 7) >= 5 ? -2 : 0);
        var history = Enumerable.Range(0, 96 * 21).Select(Truth).ToArray();
        var model = DoubleSeasonalHoltWinters.Fit(history, 96, firstDay: DayOfWeek.Monday);
        var bands = model.Forecast(96 * 7, 1.645);
        for (var k = 0; k < bands.Length; k++)
        {
            Assert.True(Math.Abs(bands[k].Expected - Truth(history.Length + k)) < 0.15, $"step {k}: {bands[k].Expected} against {Truth(history.Length + k)}");
        }
    }

    [Fact]
    public void Generated_traffic_is_forecast_better_than_last_week_and_the_interval_holds_most_of_it()
    {
        var (better, covered, total) = (0, 0, 0);
        var log = new List<string>();
        for (ulong seed = 100; seed < 110; seed++)
        {
            var g = TrafficGenerator.FromSeed(seed, Monday);
            var samples = g.Generate(Monday, TimeSpan.FromMinutes(5), 288 * 28);
            var fit = SeriesAnalysis.Fit(Monday, TimeSpan.FromMinutes(5), samples[..(288 * 21)], AnalysisOptions.Default);
            var forecast = fit.Forecast(TimeSpan.FromDays(7));
            var actual = Buckets.Medians(samples.AsSpan(288 * 21), 3);
            var lastWeek = Buckets.Medians(samples.AsSpan(288 * 14, 288 * 7), 3);
            var model = Accuracy.Smape(actual, [.. forecast.Points.Select(p => p.Expected)]);
            var naive = Accuracy.Smape(actual, lastWeek);
            log.Add($"{model:0.0}% against {naive:0.0}%");
            better += model < naive ? 1 : 0;
            covered += actual.Zip(forecast.Points).Count(x => x.First >= x.Second.Lower && x.First <= x.Second.Upper);
            total += actual.Length;
        }

        Assert.True(better >= 8, $"{string.Join(", ", log)}: the model beat seasonal-naive on {better} of 10 series");
        Assert.InRange((double)covered / total, 0.8, 0.99);
    }

    [Fact]
    public void Too_little_history_says_how_much_there_is_and_how_much_is_needed()
    {
        var samples = new double[288 * 5];
        var error = Assert.Throws<InsufficientHistoryException>(() => SeriesAnalysis.Fit(Monday, TimeSpan.FromMinutes(5), samples, AnalysisOptions.Default));
        Assert.Equal(TimeSpan.FromDays(5), error.Available);
        Assert.Equal(TimeSpan.FromDays(8), error.Required);
        Assert.Contains("5 days", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SeriesAnalysis.Fit(Monday, TimeSpan.FromMinutes(7), samples, AnalysisOptions.Default));
    }

    [Fact]
    public void A_forecast_rising_through_the_threshold_crosses_it_and_the_daily_peaks_give_a_run_out_date()
    {
        // Peaks at 0.5 on day 0 rising 0.01 a day: the 95th percentile reaches 0.8 after 30 days.
        var perDay = 96;
        var samples = new double[perDay * 20];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (i % perDay) >= 90 ? 0.5 + (0.01 * (i / perDay)) : 0.2;
        }

        var days = RunOut.DaysUntil(samples, perDay, 0.8);
        Assert.NotNull(days);
        Assert.Equal(30 - 19, days!.Value, 1);
        Assert.Null(RunOut.DaysUntil(samples, perDay, 0.8, minimumDays: 21));
        Assert.Equal(0, RunOut.DaysUntil(samples, perDay, 0.6));
        Assert.Null(RunOut.DaysUntil([.. samples.Select(v => 0.9 - v)], perDay, 0.8));

        var bands = new[] { new ForecastBand(0.5, 0.4, 0.6), new ForecastBand(0.7, 0.6, 0.79), new ForecastBand(0.75, 0.7, 0.81) };
        Assert.Equal(2, RunOut.FirstCrossing(bands, 0.8));
        Assert.Null(RunOut.FirstCrossing(bands, 0.9));
    }
}
