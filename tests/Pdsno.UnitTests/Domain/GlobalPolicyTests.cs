using Pdsno.Abstractions.Policy;

namespace Pdsno.UnitTests.Domain;

public class GlobalPolicyTests
{
    private static GlobalPolicy Policy(TimeSpan interval, int missed = 3) => new(1, interval, missed);

    [Fact]
    public void The_default_policy_is_usable()
    {
        Assert.Empty(GlobalPolicy.Default.Problems());
    }

    [Fact]
    public void An_interval_below_the_minimum_is_a_problem()
    {
        var problem = Assert.Single(Policy(TimeSpan.FromMilliseconds(500)).Problems());

        Assert.Contains("discoveryInterval", problem, StringComparison.Ordinal);
        Assert.Contains("shorter than the minimum", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interval_above_a_day_is_a_problem()
    {
        var problem = Assert.Single(Policy(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1)).Problems());

        Assert.Contains("longer than one day", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Intervals_at_the_bounds_are_accepted()
    {
        Assert.Empty(Policy(GlobalPolicy.ShortestInterval).Problems());
        Assert.Empty(Policy(TimeSpan.FromDays(1)).Problems());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void A_missed_cycle_limit_out_of_range_is_a_problem(int missed)
    {
        var problem = Assert.Single(Policy(TimeSpan.FromSeconds(30), missed).Problems());

        Assert.Contains($"missedCyclesUntilInactive {missed}", problem, StringComparison.Ordinal);
        Assert.Contains("1..1000", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Missed_cycle_limits_at_the_bounds_are_accepted(int missed)
    {
        Assert.Empty(Policy(TimeSpan.FromSeconds(30), missed).Problems());
    }

    [Fact]
    public void Every_problem_is_listed()
    {
        Assert.Equal(2, Policy(TimeSpan.Zero, 0).Problems().Count);
    }

    [Fact]
    public void Adaptive_bounds_around_the_interval_are_accepted()
    {
        var policy = new GlobalPolicy(1, TimeSpan.FromSeconds(30), 3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

        Assert.Empty(policy.Problems());
        Assert.Equal(TimeSpan.FromSeconds(1), policy.EffectiveMinimumInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.EffectiveMaximumInterval);
    }

    [Fact]
    public void Without_bounds_the_interval_is_fixed()
    {
        Assert.Equal(GlobalPolicy.Default.DiscoveryInterval, GlobalPolicy.Default.EffectiveMinimumInterval);
        Assert.Equal(GlobalPolicy.Default.DiscoveryInterval, GlobalPolicy.Default.EffectiveMaximumInterval);
    }

    [Theory]
    [InlineData(40.0, null, "minimumInterval 00:00:40 is longer than discoveryInterval")]
    [InlineData(null, 20.0, "maximumInterval 00:00:20 is shorter than discoveryInterval")]
    [InlineData(0.5, null, "minimumInterval 00:00:00.5000000 is shorter than the minimum")]
    [InlineData(null, 90_000.0, "maximumInterval 1.01:00:00 is longer than one day")]
    public void Adaptive_bounds_that_do_not_hold_the_interval_are_a_problem(double? minSeconds, double? maxSeconds, string expected)
    {
        var policy = new GlobalPolicy(
            1,
            TimeSpan.FromSeconds(30),
            3,
            minSeconds is { } min ? TimeSpan.FromSeconds(min) : null,
            maxSeconds is { } max ? TimeSpan.FromSeconds(max) : null);

        var problem = Assert.Single(policy.Problems());

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Analytics_rules_default_to_a_week_of_minutes_and_90_days_of_hours_and_bad_ones_are_named()
    {
        Assert.Equal((7, 90, 80.0), (GlobalPolicy.Default.Analytics.MinuteRetentionDays, GlobalPolicy.Default.Analytics.HourlyRetentionDays, GlobalPolicy.Default.Analytics.CongestionThresholdPercent));
        var policy = GlobalPolicy.Default with { AnalyticsRules = new AnalyticsPolicy(0, 7, 120, TimeSpan.FromDays(8)) };

        var problems = policy.Problems();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("hourlyRetentionDays 7 is outside 8..400", StringComparison.Ordinal));
    }
}
