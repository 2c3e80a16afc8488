using Pdsno.Analytics.Forecasting;

namespace Pdsno.UnitTests.Analytics;

public sealed class SeriesMonitorTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    // A daily wave around 40% with a little seeded noise, 288 samples a day.
    private static double[] Series(int from, int count, double growthPerDay = 0)
    {
        var noise = new Random(7 + from);
        return [.. Enumerable.Range(from, count).Select(i => 0.4 + (0.15 * Math.Sin(2 * Math.PI * i / 288)) + (growthPerDay * i / 288) + (0.01 * (noise.NextDouble() - 0.5)))];
    }

    [Fact]
    public void A_sustained_departure_is_an_anomaly_with_its_expected_range_but_a_glitched_sample_is_not()
    {
        var monitor = SeriesMonitor.Start(Monday, Step, Series(0, 288 * 9), AnalysisOptions.Default);
        var next = Monday.AddDays(9);
        Assert.Equal(next, monitor.Next);

        // One sample at line rate: the bucket's median does not see it.
        var hour = Series(288 * 9, 12);
        hour[4] = 1;
        Assert.Equal(4, monitor.Advance(next, Step, hour));
        Assert.Null(monitor.LastAnomaly);

        // Half an hour at 95%: two buckets depart the same way.
        var surge = Series(288 * 9 + 12, 12);
        for (var i = 3; i < 9; i++)
        {
            surge[i] = 0.95;
        }

        monitor.Advance(next.AddHours(1), Step, surge);
        var anomaly = Assert.IsType<BucketAnomaly>(monitor.LastAnomaly);
        Assert.True(anomaly.Score >= AnalysisOptions.Default.AnomalyThreshold, $"score {anomaly.Score}");
        Assert.Equal(0.95, anomaly.Actual, 3);
        Assert.InRange(anomaly.Expected, anomaly.RangeLow, anomaly.RangeHigh);
        Assert.True(anomaly.RangeHigh < 0.95);
        Assert.Equal(next.AddHours(2), monitor.Next);

        // Samples already taken in are not taken in twice.
        Assert.Equal(0, monitor.Advance(next, Step, Series(288 * 9, 24)));
    }

    [Fact]
    public void Growth_toward_the_threshold_is_predicted_with_its_time_and_confidence_and_calm_traffic_is_not()
    {
        // Growing 2 points a day, expected to peak near 75%: the 95th percentile reaches 76%, the expected load not quite.
        var growing = SeriesMonitor.Start(Monday, Step, Series(0, 288 * 14, growthPerDay: 0.02), AnalysisOptions.Default);
        var crossing = growing.Predict(TimeSpan.FromDays(3), 0.76);
        Assert.NotNull(crossing);
        Assert.InRange(crossing.At, Monday.AddDays(14), Monday.AddDays(17));
        Assert.True(crossing.Upper >= 0.76 && crossing.Expected < 0.76);
        Assert.InRange(crossing.Confidence, 0, 0.5);

        var calm = SeriesMonitor.Start(Monday, Step, Series(0, 288 * 14), AnalysisOptions.Default);
        Assert.Null(calm.Predict(TimeSpan.FromDays(3), 0.76));
        var low = calm.Predict(TimeSpan.FromDays(1), 0.3);
        Assert.NotNull(low);
        Assert.True(low.Confidence > 0.9, $"confidence {low.Confidence}");
    }

    [Fact]
    public void Too_little_history_says_how_much_there_is()
    {
        var ex = Assert.Throws<InsufficientHistoryException>(() => SeriesMonitor.Start(Monday, Step, Series(0, 288 * 3), AnalysisOptions.Default));
        Assert.Equal(TimeSpan.FromDays(3), ex.Available);
    }
}
