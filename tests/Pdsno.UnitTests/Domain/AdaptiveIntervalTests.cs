using Pdsno.Grains.Controllers;

namespace Pdsno.UnitTests.Domain;

public class AdaptiveIntervalTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(300);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void A_change_halves_the_interval()
    {
        Assert.Equal(S(30), new AdaptiveInterval().Next(S(60), Min, Max, changed: true));
    }

    [Fact]
    public void Changes_shrink_the_interval_down_to_the_minimum_and_no_further()
    {
        var adaptive = new AdaptiveInterval();
        var interval = S(60);
        var seen = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            interval = adaptive.Next(interval, Min, Max, changed: true);
            seen.Add(interval);
        }

        Assert.Equal([S(30), S(15), S(8), S(5), S(5)], seen.Take(5));
        Assert.All(seen.Skip(3), s => Assert.Equal(Min, s));
    }

    [Fact]
    public void The_interval_holds_until_enough_stable_cycles_then_grows()
    {
        var adaptive = new AdaptiveInterval();

        Assert.Equal(S(20), adaptive.Next(S(20), Min, Max, changed: false));
        Assert.Equal(S(20), adaptive.Next(S(20), Min, Max, changed: false));
        Assert.Equal(S(30), adaptive.Next(S(20), Min, Max, changed: false));
        Assert.Equal(0, adaptive.StableCycles);
    }

    [Fact]
    public void A_stable_network_grows_the_interval_up_to_the_maximum_and_no_further()
    {
        var adaptive = new AdaptiveInterval();
        var interval = Min;
        var changes = 0;
        for (var i = 0; i < 100; i++)
        {
            var next = adaptive.Next(interval, Min, Max, changed: false);
            if (next != interval)
            {
                changes++;
                Assert.True(next > interval);
            }

            interval = next;
        }

        Assert.Equal(Max, interval);
        // 5 → 8 → 12 → 18 → 27 → 41 → 62 → 93 → 140 → 210 → 300: each step needs three stable cycles.
        Assert.Equal(10, changes);
    }

    [Fact]
    public void A_change_restarts_the_stable_count()
    {
        var adaptive = new AdaptiveInterval();
        adaptive.Next(S(20), Min, Max, changed: false);
        adaptive.Next(S(20), Min, Max, changed: false);
        var halved = adaptive.Next(S(20), Min, Max, changed: true);

        Assert.Equal(S(10), halved);
        Assert.Equal(S(10), adaptive.Next(halved, Min, Max, changed: false));
        Assert.Equal(S(10), adaptive.Next(halved, Min, Max, changed: false));
        Assert.Equal(S(15), adaptive.Next(halved, Min, Max, changed: false));
    }

    [Fact]
    public void Equal_bounds_keep_a_fixed_interval()
    {
        var adaptive = new AdaptiveInterval();
        var fixedInterval = S(30);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(fixedInterval, adaptive.Next(fixedInterval, fixedInterval, fixedInterval, changed: i % 2 == 0));
        }
    }

    [Fact]
    public void An_interval_outside_the_bounds_is_brought_inside_them()
    {
        Assert.Equal(Max, new AdaptiveInterval().Next(S(1000), Min, Max, changed: false));
        Assert.Equal(Min, new AdaptiveInterval().Next(S(1), Min, Max, changed: false));
    }

    [Fact]
    public void The_same_history_gives_the_same_intervals()
    {
        var history = new[] { true, false, false, false, true, true, false, false, false, false, false, false };
        static List<TimeSpan> Run(bool[] h)
        {
            var adaptive = new AdaptiveInterval();
            var interval = TimeSpan.FromSeconds(60);
            var result = new List<TimeSpan>();
            foreach (var changed in h)
            {
                interval = adaptive.Next(interval, Min, Max, changed);
                result.Add(interval);
            }

            return result;
        }

        Assert.Equal(Run(history), Run(history));
    }

    [Fact]
    public void Bounds_the_wrong_way_round_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new AdaptiveInterval().Next(S(10), Max, Min, changed: false));
    }
}
