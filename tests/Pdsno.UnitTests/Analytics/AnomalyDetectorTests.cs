using Pdsno.Analytics.Anomalies;
using Pdsno.Analytics.Forecasting;
using Pdsno.Analytics.Traffic;

namespace Pdsno.UnitTests.Analytics;

public sealed class AnomalyDetectorTests
{
    private static double[] Noise(int n, double size) => [.. Enumerable.Range(0, n).Select(i => size * SeededNoise.Gaussian(9, 9, i))];

    [Fact]
    public void A_sustained_departure_is_one_anomaly_with_its_span_sign_and_range()
    {
        var expected = new double[500];
        Array.Fill(expected, 0.3);
        var actual = Noise(500, 0.01).Select(v => v + 0.3).ToArray();
        for (var i = 200; i < 230; i++)
        {
            actual[i] += 0.2;
        }

        var found = Assert.Single(new AnomalyDetector().Detect(actual, expected));
        Assert.Equal(200, found.Start);
        Assert.Equal(230, found.End);
        Assert.True(found.Score > 10, $"score {found.Score}");
        Assert.InRange(found.RangeLow, 0.22, 0.28);
        Assert.InRange(found.RangeHigh, 0.32, 0.38);

        for (var i = 200; i < 230; i++)
        {
            actual[i] -= 0.4;
        }

        Assert.True(Assert.Single(new AnomalyDetector().Detect(actual, expected)).Score < -10);
    }

    [Fact]
    public void Single_sample_glitches_and_short_blips_are_not_anomalies()
    {
        var expected = new double[500];
        var actual = Noise(500, 0.01);
        foreach (var i in new[] { 50, 120, 121 + 2, 300, 301 + 3 })
        {
            actual[i] = 1.0;
        }

        Assert.Empty(new AnomalyDetector().Detect(actual, expected));
        Assert.Empty(new AnomalyDetector().Detect(new double[500], expected));
        Assert.Throws<ArgumentException>(() => new AnomalyDetector().Detect(actual, new double[3]));
    }

    [Fact]
    public void Injected_events_in_generated_traffic_are_found_and_glitches_are_not()
    {
        var monday = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromMinutes(1);
        var g = new TrafficGenerator(77, TrafficProfile.FromSeed(77) with { EventsPerDay = 0.4, GlitchesPerDay = 6 }, monday);
        var samples = g.Generate(monday, step, 1440 * 21);
        var analysis = SeriesAnalysis.Fit(monday, step, samples, AnalysisOptions.Default);
        var scoredFrom = monday.AddDays(7);
        var events = g.Events(scoredFrom, monday.AddDays(21), step);
        var injected = events.Where(e => e.Kind != TrafficEventKind.Glitch).ToList();
        var found = analysis.Anomalies(scoredFrom);
        Assert.NotEmpty(injected);
        Assert.All(found, a => Assert.Contains(injected, e => a.Start < e.End && e.Start < a.End));
        Assert.True(injected.Count(e => found.Any(a => a.Start < e.End && e.Start < a.End)) >= 0.8 * injected.Count, $"{found.Count} found for {injected.Count} injected");
    }
}
