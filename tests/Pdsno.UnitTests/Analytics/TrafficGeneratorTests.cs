using Pdsno.Analytics.Traffic;

namespace Pdsno.UnitTests.Analytics;

public sealed class TrafficGeneratorTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_seed_gives_the_same_samples_in_any_order_and_another_seed_other_samples()
    {
        var step = TimeSpan.FromMinutes(1);
        var a = TrafficGenerator.FromSeed(42, Monday).Generate(Monday, step, 2000);
        var b = TrafficGenerator.FromSeed(42, Monday).Generate(Monday, step, 2000);
        var c = TrafficGenerator.FromSeed(43, Monday).Generate(Monday, step, 2000);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a[1234], TrafficGenerator.FromSeed(42, Monday).Sample(Monday + (step * 1234), step));
        Assert.All(a, v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void The_traffic_peaks_at_the_peak_hour_is_quieter_at_weekends_and_grows()
    {
        var profile = new TrafficProfile(Base: 0.1, DailyAmplitude: 0.4, PeakHour: 14, WeekendFactor: 0.5, GrowthPerDay: 0.01, Noise: 0, EventsPerDay: 0, GlitchesPerDay: 0);
        var g = new TrafficGenerator(7, profile, Monday);
        Assert.Equal(0.5 + (0.01 * 14 / 24), g.Expected(Monday.AddHours(14)), 6);
        Assert.Equal(0.1 + (0.01 * 2 / 24), g.Expected(Monday.AddHours(2)), 6);
        Assert.Equal(0.1 + (0.01 * (5 + (14.0 / 24))) + 0.2, g.Expected(Monday.AddDays(5).AddHours(14)), 6);
        Assert.Equal(0.5 + (0.01 * (7 + (14.0 / 24))), g.Expected(Monday.AddDays(7).AddHours(14)), 6);
        Assert.Equal(g.Expected(Monday.AddHours(14)), g.Sample(Monday.AddHours(14), TimeSpan.FromMinutes(1)), 9);
    }

    [Fact]
    public void Events_and_glitches_are_listed_where_they_change_the_samples()
    {
        var step = TimeSpan.FromMinutes(5);
        var profile = TrafficProfile.FromSeed(5) with { EventsPerDay = 1, GlitchesPerDay = 4, Noise = 0 };
        var g = new TrafficGenerator(5, profile, Monday);
        var events = g.Events(Monday, Monday.AddDays(14), step);
        Assert.Equal(14, events.Count(e => e.Kind != TrafficEventKind.Glitch));
        Assert.InRange(events.Count(e => e.Kind == TrafficEventKind.Glitch), 25, 90);
        foreach (var e in events.Where(e => e.Kind == TrafficEventKind.Glitch))
        {
            var value = g.Sample(e.Start, step);
            Assert.True(value is 0.0 or 1.0, $"a glitch at {e.Start} reads {value}");
        }

        var flash = events.First(e => e.Kind == TrafficEventKind.FlashCrowd);
        var inside = flash.Start + (flash.Duration / 2);
        var aligned = DateTimeOffset.FromUnixTimeSeconds(inside.ToUnixTimeSeconds() / 300 * 300);
        if (!events.Any(e => e.Kind == TrafficEventKind.Glitch && e.Start == aligned))
        {
            Assert.Equal(Math.Min(1, g.Expected(aligned) + flash.Magnitude), g.Sample(aligned, step), 9);
        }
    }
}
