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
        Assert.Empty(Policy(GlobalPolicy.MinimumInterval).Problems());
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
}
