using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Grains.Devices;
using Pdsno.Grains.History;

namespace Pdsno.UnitTests.Domain;

public class MinuteRollupTests
{
    private const long Speed = 1_000_000;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // What the device grain does with each reading: the window derives rates by the counter rules, the rollup folds them.
    private static List<HistoryMinute> Feed(params (int Seconds, long UpTime, ulong In, bool Counters64)[] readings)
    {
        var (window, rollup, closed) = (new TelemetryWindow(8), new MinuteRollup("edge-1"), new List<HistoryMinute>());
        foreach (var (seconds, upTime, inOctets, counters64) in readings)
        {
            window.Add(new TelemetryReading(T0.AddSeconds(seconds), upTime, [new InterfaceObservation(1, "eth0", "02:00:00:00:00:02", Speed, AdminStatus.Up, OperStatus.Up, inOctets, 0, 0, 0, counters64)]));
            foreach (var (name, at, inBps, outBps, speed) in window.LatestRates())
            {
                if (rollup.Add(name, at, inBps, outBps, speed) is { } minute)
                {
                    closed.Add(minute);
                }
            }
        }

        return closed;
    }

    [Fact]
    public void A_minute_is_the_average_and_highest_of_its_rates_handed_out_when_the_next_minute_starts()
    {
        // 30 s apart: 1,000 then 3,000 octets are 266.67 and 800 bit/s; the reading at 60 s belongs to the next minute.
        var minutes = Feed((0, 0, 0, true), (30, 3_000, 1_000, true), (59, 5_900, 3_175, true), (60, 6_000, 3_200, true));
        Assert.Empty(minutes.Skip(1));
        var m = Assert.Single(minutes);
        Assert.Equal((T0, "edge-1", "eth0", Speed), (m.At, m.Device, m.Interface, m.SpeedBps));
        Assert.Equal((266.667 + 600) / 2, m.InBps, 2);
        Assert.Equal(600, m.InMaxBps, 2);
        Assert.Equal(0, m.OutMaxBps);
    }

    [Fact]
    public void Counter_wraps_are_traffic_but_resets_restarts_and_glitches_are_not()
    {
        const ulong Top = 4_294_967_296;
        var minutes = Feed(
            (0, 0, Top - 1_000, false),
            (10, 1_000, 250, false),          // a 32-bit wrap: 1,250 octets, 1,000 bit/s
            (20, 2_000, 1_500, false),        // 1,000 bit/s
            (30, 500, 1_600, false),          // the device restarted: no rate
            (40, 1_500, 2_850, false),        // 1,000 bit/s
            (50, 2_500, 2_850 + 1_000_000_000, false), // 800 Mbit/s on a 1 Mbit/s port: a glitch
            (60, 3_500, 2_850 + 1_000_001_250, false), // next minute
            (70, 4_500, 2_850 + 1_000_002_500, false),
            (120, 9_500, 2_850 + 1_000_003_750, false));
        Assert.Equal([T0, T0.AddMinutes(1)], minutes.Select(m => m.At));
        Assert.Equal((1_000d, 1_000d), (minutes[0].InBps, minutes[0].InMaxBps));
        Assert.Equal(1_000d, minutes[1].InBps, 3);
    }

    [Fact]
    public void A_minute_with_no_honest_rate_is_not_written_and_a_late_reading_does_not_reopen_a_finished_minute()
    {
        var rollup = new MinuteRollup("d");
        Assert.Null(rollup.Add("eth0", T0, null, null, Speed));
        Assert.Null(rollup.Add("eth0", T0.AddSeconds(30), 100, 100, Speed));
        Assert.NotNull(rollup.Add("eth0", T0.AddSeconds(61), 100, 100, Speed));
        Assert.Null(rollup.Add("eth0", T0.AddSeconds(50), 900, 900, Speed));
        var next = rollup.Add("eth0", T0.AddSeconds(125), 1, 1, Speed);
        Assert.Equal((T0.AddMinutes(1), 100d), (next!.At, next.InMaxBps));
        Assert.Equal(T0.AddMinutes(2), rollup.Add("eth0", T0.AddSeconds(190), null, 5, Speed)!.At);
        Assert.Null(rollup.Add("eth0", T0.AddSeconds(250), 5, 5, Speed));
        Assert.Equal(T0.AddMinutes(4), rollup.Add("eth0", T0.AddSeconds(310), 5, 5, Speed)!.At);
    }
}
