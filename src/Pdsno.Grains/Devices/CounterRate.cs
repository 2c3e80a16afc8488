namespace Pdsno.Grains.Devices;

/// <summary>Bits per second and utilization from two readings of an SNMP octet counter.</summary>
public static class CounterRate
{
    /// <summary>The modulus of a 32-bit counter (ifInOctets, ifOutOctets).</summary>
    public const double Wrap32 = 4_294_967_296d;

    /// <summary>
    /// Bits per second between two readings <paramref name="seconds"/> apart, or null when the readings give no
    /// honest rate: no time passed, the device restarted (sysUpTime went backwards), a 64-bit counter went backwards
    /// (it was reset), or a 32-bit counter went backwards more than one wrap could explain.
    /// </summary>
    /// <param name="before">The earlier counter reading.</param>
    /// <param name="after">The later counter reading.</param>
    /// <param name="seconds">Wall-clock seconds between the readings.</param>
    /// <param name="counters64">Whether the counter is 64-bit (ifHC*Octets) rather than 32-bit.</param>
    /// <param name="upTimeBefore">sysUpTime in hundredths at the earlier reading, when known.</param>
    /// <param name="upTimeAfter">sysUpTime in hundredths at the later reading, when known.</param>
    /// <param name="speedBps">Interface speed; bounds how often a 32-bit counter can wrap (0 when unknown).</param>
    public static double? BitsPerSecond(
        ulong before, ulong after, double seconds, bool counters64, long? upTimeBefore = null, long? upTimeAfter = null, long speedBps = 0)
    {
        if (seconds <= 0 || double.IsNaN(seconds))
        {
            return null;
        }

        if (upTimeBefore is { } b && upTimeAfter is { } a && a < b)
        {
            // The device restarted: its counters started again from zero somewhere between the readings.
            return null;
        }

        if (after >= before)
        {
            return (after - before) * 8.0 / seconds;
        }

        if (counters64 || before >= (ulong)Wrap32)
        {
            return null;
        }

        // A 32-bit counter that went backwards wrapped once, provided so little time passed that it cannot have
        // wrapped twice at line rate; uptime is the device's own clock, so it is preferred over ours.
        var elapsed = upTimeBefore is { } ub && upTimeAfter is { } ua ? (ua - ub) / 100.0 : seconds;
        if (speedBps > 0 && elapsed >= Wrap32 * 8.0 / speedBps)
        {
            return null;
        }

        return (Wrap32 - before + after) * 8.0 / seconds;
    }

    /// <summary>A rate as a percentage of the interface speed; null when there is no rate or the speed is unknown (0).</summary>
    public static double? Utilization(double? bitsPerSecond, long speedBps) =>
        bitsPerSecond is { } rate && speedBps > 0 ? rate * 100.0 / speedBps : null;
}
