using System.Collections.Immutable;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Devices;

namespace Pdsno.UnitTests.Domain;

public class UtilizationRuleTests
{
    private static readonly TelemetryOptions Defaults = new();

    [Theory]
    [InlineData(false, 79.99, false)]
    [InlineData(false, 80.0, true)]
    [InlineData(false, 95.0, true)]
    [InlineData(true, 80.0, true)]
    [InlineData(true, 75.0, true)]
    [InlineData(true, 74.99, false)]
    [InlineData(true, 10.0, false)]
    public void Crosses_up_at_the_threshold_and_down_only_below_the_hysteresis(bool wasHigh, double utilization, bool expected)
    {
        Assert.Equal(expected, UtilizationRule.Cross(wasHigh, utilization, 80, 5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void No_reading_keeps_the_state(bool wasHigh)
    {
        Assert.Equal(wasHigh, UtilizationRule.Cross(wasHigh, null, 80, 5));
    }

    [Fact]
    public void A_crossing_up_becomes_one_high_event_with_the_utilization()
    {
        var (high, changes) = UtilizationRule.Evaluate([], Latest(("Ethernet1", 91.234), ("Ethernet2", 10)), ["Ethernet1", "Ethernet2"], Defaults);

        Assert.Equal(["Ethernet1"], high);
        var change = Assert.Single(changes);
        Assert.Equal(new DeviceChange(TopologyEventType.InterfaceUtilizationHigh, "Ethernet1", null, "91.23"), change);
    }

    [Fact]
    public void A_crossing_down_becomes_one_normal_event()
    {
        var (high, changes) = UtilizationRule.Evaluate(["Ethernet1"], Latest(("Ethernet1", 50)), ["Ethernet1"], Defaults);

        Assert.Empty(high);
        Assert.Equal([new DeviceChange(TopologyEventType.InterfaceUtilizationNormal, "Ethernet1", null, "50")], changes);
    }

    [Fact]
    public void Steady_readings_below_the_threshold_change_nothing()
    {
        var before = ImmutableHashSet<string>.Empty;
        for (var i = 0; i < 10; i++)
        {
            var (high, changes) = UtilizationRule.Evaluate(before, Latest(("Ethernet1", 40 + i), ("Ethernet2", null)), ["Ethernet1", "Ethernet2"], Defaults);
            Assert.Empty(changes);
            Assert.True(high.SetEquals(before));
        }
    }

    [Fact]
    public void Steady_readings_above_the_hysteresis_keep_a_high_interface_high_without_events()
    {
        var (high, changes) = UtilizationRule.Evaluate(["Ethernet1"], Latest(("Ethernet1", 78)), ["Ethernet1"], Defaults);

        Assert.Equal(["Ethernet1"], high);
        Assert.Empty(changes);
    }

    [Fact]
    public void A_removed_interface_leaves_the_high_set_without_an_event()
    {
        var (high, changes) = UtilizationRule.Evaluate(["Ethernet1", "Ethernet2"], Latest(("Ethernet1", 90), ("Ethernet2", 10)), ["Ethernet1"], Defaults);

        Assert.Equal(["Ethernet1"], high);
        Assert.Empty(changes);
    }

    [Fact]
    public void The_threshold_and_hysteresis_come_from_the_options()
    {
        var options = new TelemetryOptions { ThresholdPercent = 50, HysteresisPercent = 10 };

        var (up, _) = UtilizationRule.Evaluate([], Latest(("Ethernet1", 55)), ["Ethernet1"], options);
        var (stays, _) = UtilizationRule.Evaluate(up, Latest(("Ethernet1", 41)), ["Ethernet1"], options);
        var (down, _) = UtilizationRule.Evaluate(stays, Latest(("Ethernet1", 39)), ["Ethernet1"], options);

        Assert.Equal(["Ethernet1"], up);
        Assert.Equal(["Ethernet1"], stays);
        Assert.Empty(down);
    }

    [Theory]
    [InlineData(80, 5, true)]
    [InlineData(0, 0, false)]
    [InlineData(101, 5, false)]
    [InlineData(80, 80, false)]
    [InlineData(80, -1, false)]
    public void Options_validity(double threshold, double hysteresis, bool valid)
    {
        Assert.Equal(valid, new TelemetryOptions { ThresholdPercent = threshold, HysteresisPercent = hysteresis }.IsValid);
    }

    private static Dictionary<string, double?> Latest(params (string Name, double? Utilization)[] readings) =>
        readings.ToDictionary(r => r.Name, r => r.Utilization, StringComparer.Ordinal);
}
