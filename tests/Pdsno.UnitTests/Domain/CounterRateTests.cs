using Pdsno.Grains.Devices;

namespace Pdsno.UnitTests.Domain;

public class CounterRateTests
{
    private const long TenGig = 10_000_000_000L;
    private const long HundredMeg = 100_000_000L;

    [Fact]
    public void Rate_is_eight_times_the_octet_delta_over_the_seconds()
    {
        Assert.Equal(1_000d, CounterRate.BitsPerSecond(1_000, 2_250, 10, counters64: true));
        Assert.Equal(2_000d, CounterRate.BitsPerSecond(1_000, 2_250, 5, counters64: false, 100, 600, HundredMeg));
    }

    [Fact]
    public void A_64_bit_counter_that_went_backwards_was_reset_and_gives_no_rate()
    {
        Assert.Null(CounterRate.BitsPerSecond(1_000_000, 50, 10, counters64: true, 100, 1_100, TenGig));
    }

    [Fact]
    public void A_64_bit_counter_near_its_top_still_gives_an_exact_rate()
    {
        Assert.Equal(40d, CounterRate.BitsPerSecond(ulong.MaxValue - 10, ulong.MaxValue, 2, counters64: true));
    }

    [Fact]
    public void A_32_bit_counter_that_went_backwards_within_the_wrap_time_wrapped_once()
    {
        // 4_294_967_000 -> 704 is 296 + 704 = 1000 octets across the wrap, in 10 s.
        var rate = CounterRate.BitsPerSecond(4_294_967_000, 704, 10, counters64: false, 10_000, 11_000, HundredMeg);

        Assert.Equal(800d, rate);
    }

    [Fact]
    public void A_32_bit_wrap_without_uptime_uses_the_wall_clock_to_bound_it()
    {
        Assert.Equal(800d, CounterRate.BitsPerSecond(4_294_967_000, 704, 10, counters64: false, speedBps: HundredMeg));
        // At 10 Gb/s a 32-bit counter wraps every 3.4 s, so 10 s may hide several wraps.
        Assert.Null(CounterRate.BitsPerSecond(4_294_967_000, 704, 10, counters64: false, speedBps: TenGig));
    }

    [Fact]
    public void A_32_bit_decrease_over_longer_than_the_wrap_time_is_ambiguous_and_gives_no_rate()
    {
        // 100 Mb/s wraps a 32-bit octet counter in 343.6 s; the device says 400 s passed.
        Assert.Null(CounterRate.BitsPerSecond(4_000_000_000, 5, 400, counters64: false, 0, 40_000, HundredMeg));
    }

    [Fact]
    public void A_32_bit_reading_above_32_bits_is_not_treated_as_a_wrap()
    {
        Assert.Null(CounterRate.BitsPerSecond(5_000_000_000, 5, 10, counters64: false, 0, 1_000, HundredMeg));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_device_restart_gives_no_rate_even_when_the_counter_grew(bool counters64)
    {
        Assert.Null(CounterRate.BitsPerSecond(1_000, 900_000, 60, counters64, upTimeBefore: 8_640_000, upTimeAfter: 3_000, HundredMeg));
        Assert.Null(CounterRate.BitsPerSecond(1_000, 500, 60, counters64, upTimeBefore: 8_640_000, upTimeAfter: 3_000, HundredMeg));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void No_time_between_readings_gives_no_rate(double seconds)
    {
        Assert.Null(CounterRate.BitsPerSecond(0, 125, seconds, counters64: true));
    }

    [Fact]
    public void Utilization_is_the_rate_as_a_percentage_of_speed()
    {
        Assert.Equal(25d, CounterRate.Utilization(25_000_000, HundredMeg));
        Assert.Equal(100d, CounterRate.Utilization(TenGig, TenGig));
    }

    [Fact]
    public void Utilization_of_an_interface_with_speed_0_is_unknown_not_infinite()
    {
        Assert.Null(CounterRate.Utilization(1_000, 0));
    }

    [Fact]
    public void Utilization_without_a_rate_is_unknown()
    {
        Assert.Null(CounterRate.Utilization(null, HundredMeg));
    }
}
