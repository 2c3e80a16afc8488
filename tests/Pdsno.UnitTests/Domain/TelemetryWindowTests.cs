using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Grains.Devices;

namespace Pdsno.UnitTests.Domain;

public class TelemetryWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeviceObservation Reading(DateTimeOffset at, params (string Name, ulong In, ulong Out)[] interfaces) =>
        new("02:00:00:00:00:01", "core-1", "Arista", "7280R3", "EOS 4.31.2F", "10.0.0.1", "core",
            [.. interfaces.Select((i, n) => new InterfaceObservation(n + 1, i.Name, "02:00:00:00:00:01", 10_000_000_000L, AdminStatus.Up, OperStatus.Up, i.In, i.Out, 0, 0))],
            [], at);

    private static DeviceObservation Reading32(DateTimeOffset at, long upTime, ulong inOctets, long speed) =>
        new("02:00:00:00:00:01", "edge-1", "net-snmp", "Linux", "6.1", "10.0.0.2", "edge",
            [new InterfaceObservation(1, "Ethernet1", "02:00:00:00:00:02", speed, AdminStatus.Up, OperStatus.Up, inOctets, 0, 0, 0, Counters64: false)],
            [], at, upTime);

    [Fact]
    public void Keeps_only_the_newest_readings_up_to_capacity_per_interface()
    {
        var window = new TelemetryWindow(3);
        for (var i = 0; i < 5; i++)
        {
            window.Add(Reading(T0.AddSeconds(10 * i), ("Ethernet1", (ulong)(1000 * i), 0), ("Ethernet2", 0, 0)));
        }

        var samples = window.Snapshot();

        Assert.Equal(3, samples.Count(s => s.Interface == "Ethernet1"));
        Assert.Equal(3, samples.Count(s => s.Interface == "Ethernet2"));
        Assert.Equal([T0.AddSeconds(20), T0.AddSeconds(30), T0.AddSeconds(40)], samples.Where(s => s.Interface == "Ethernet1").Select(s => s.At));
    }

    [Fact]
    public void Rates_are_bits_per_second_from_octet_deltas()
    {
        var window = new TelemetryWindow(10);
        window.Add(Reading(T0, ("Ethernet1", 1_000, 5_000)));
        window.Add(Reading(T0.AddSeconds(10), ("Ethernet1", 2_250, 5_500)));

        var samples = window.Snapshot();

        Assert.Equal(2, samples.Length);
        Assert.Equal(0, samples[0].InBitsPerSecond);
        Assert.Equal(0, samples[0].OutBitsPerSecond);
        Assert.Equal(1_000, samples[1].InBitsPerSecond, 6);
        Assert.Equal(400, samples[1].OutBitsPerSecond, 6);
        Assert.Equal(2_250UL, samples[1].InOctets);
        Assert.Equal(5_500UL, samples[1].OutOctets);
    }

    [Fact]
    public void Rates_after_the_ring_wrapped_are_against_the_previous_kept_reading()
    {
        var window = new TelemetryWindow(2);
        window.Add(Reading(T0, ("Ethernet1", 0, 0)));
        window.Add(Reading(T0.AddSeconds(1), ("Ethernet1", 100, 0)));
        window.Add(Reading(T0.AddSeconds(2), ("Ethernet1", 300, 0)));

        var samples = window.Snapshot();

        Assert.Equal([0d, 1_600d], samples.Select(s => s.InBitsPerSecond));
    }

    [Fact]
    public void A_counter_that_went_backwards_was_reset_and_gives_no_rate()
    {
        var window = new TelemetryWindow(10);
        window.Add(Reading(T0, ("Ethernet1", 1_000_000, 1_000_000)));
        window.Add(Reading(T0.AddSeconds(10), ("Ethernet1", 50, 1_000_800)));
        window.Add(Reading(T0.AddSeconds(20), ("Ethernet1", 150, 1_001_600)));

        var samples = window.Snapshot();

        Assert.Equal(0, samples[1].InBitsPerSecond);
        Assert.Equal(640, samples[1].OutBitsPerSecond, 6);
        Assert.Equal(80, samples[2].InBitsPerSecond, 6);
    }

    [Fact]
    public void A_32_bit_counter_that_wrapped_gives_the_rate_across_the_wrap_and_utilization()
    {
        var window = new TelemetryWindow(10);
        window.Add(Reading32(T0, 100_000, 4_294_967_000, 10_000_000));
        window.Add(Reading32(T0.AddSeconds(10), 101_000, 704, 10_000_000));

        var latest = window.Snapshot()[1];

        Assert.Equal(800, latest.InBitsPerSecond, 6);
        Assert.Equal(0.008, latest.InUtilization!.Value, 9);
        Assert.Equal(0.008, window.LatestUtilization()["Ethernet1"]!.Value, 9);
    }

    [Fact]
    public void A_device_restart_gives_no_rate_and_no_utilization()
    {
        var window = new TelemetryWindow(10);
        window.Add(Reading32(T0, 8_640_000, 1_000, 10_000_000));
        window.Add(Reading32(T0.AddSeconds(10), 900, 5_000, 10_000_000));

        var latest = window.Snapshot()[1];

        Assert.Equal(0, latest.InBitsPerSecond);
        Assert.Null(latest.InUtilization);
        Assert.Null(window.LatestUtilization()["Ethernet1"]);
    }

    [Fact]
    public void An_interface_with_speed_0_has_a_rate_but_no_utilization()
    {
        var window = new TelemetryWindow(10);
        window.Add(Reading32(T0, 0, 0, 0));
        window.Add(Reading32(T0.AddSeconds(1), 100, 125, 0));

        var latest = window.Snapshot()[1];

        Assert.Equal(1_000, latest.InBitsPerSecond, 6);
        Assert.Null(latest.InUtilization);
        Assert.Null(latest.OutUtilization);
    }

    [Fact]
    public void Readings_with_the_same_timestamp_give_no_rate()
    {
        var window = new TelemetryWindow(10);
        window.Add(Reading(T0, ("Ethernet1", 0, 0)));
        window.Add(Reading(T0, ("Ethernet1", 1_000, 1_000)));

        Assert.All(window.Snapshot(), s => Assert.Equal(0, s.InBitsPerSecond));
    }

    [Theory]
    [InlineData(100UL, 50UL, 1.0, 0.0)]
    [InlineData(0UL, 125UL, 1.0, 1_000.0)]
    [InlineData(0UL, 125UL, 0.0, 0.0)]
    [InlineData(ulong.MaxValue - 10, ulong.MaxValue, 2.0, 40.0)]
    public void Rate_between_two_counters(ulong before, ulong after, double seconds, double expected)
    {
        Assert.Equal(expected, TelemetryWindow.Rate(before, after, seconds), 6);
    }

    [Fact]
    public void Retain_drops_interfaces_the_device_no_longer_has()
    {
        var window = new TelemetryWindow(4);
        window.Add(Reading(T0, ("Ethernet1", 0, 0), ("Ethernet2", 0, 0), ("Ethernet3", 0, 0)));

        window.Retain(["Ethernet1", "Ethernet3"]);

        Assert.Equal(["Ethernet1", "Ethernet3"], window.Snapshot().Select(s => s.Interface));
    }

    [Fact]
    public void Snapshot_lists_interfaces_in_name_order_and_readings_oldest_first()
    {
        var window = new TelemetryWindow(4);
        window.Add(Reading(T0, ("b", 0, 0), ("a", 0, 0)));
        window.Add(Reading(T0.AddSeconds(1), ("b", 0, 0), ("a", 0, 0)));

        Assert.Equal(
            [("a", T0), ("a", T0.AddSeconds(1)), ("b", T0), ("b", T0.AddSeconds(1))],
            window.Snapshot().Select(s => (s.Interface, s.At)));
    }

    [Fact]
    public void An_observation_without_interfaces_adds_nothing()
    {
        var window = new TelemetryWindow(4);
        var observation = Reading(T0) with { Interfaces = default(ImmutableArray<InterfaceObservation>) };

        window.Add(observation);

        Assert.Empty(window.Snapshot());
    }
}
