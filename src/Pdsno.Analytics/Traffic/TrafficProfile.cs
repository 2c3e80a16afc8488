namespace Pdsno.Analytics.Traffic;

/// <summary>
/// The shape of one direction of an interface's traffic, as a share of its capacity (0 to 1): a base load, a daily
/// business peak, quieter weekends, growth, noise, and how often events and glitches are injected.
/// </summary>
/// <param name="Base">The overnight load.</param>
/// <param name="DailyAmplitude">How much the daily peak adds to the base.</param>
/// <param name="PeakHour">The hour of day (UTC) of the daily peak.</param>
/// <param name="WeekendFactor">The share of the daily swing left on Saturdays and Sundays.</param>
/// <param name="GrowthPerDay">Load added per day since <see cref="TrafficGenerator.Origin"/>.</param>
/// <param name="Noise">The standard deviation of the sample-to-sample noise.</param>
/// <param name="EventsPerDay">The chance that a day holds one flash crowd or sudden drop.</param>
/// <param name="GlitchesPerDay">The expected number of single-sample glitches a day.</param>
public sealed record TrafficProfile(
    double Base,
    double DailyAmplitude,
    double PeakHour,
    double WeekendFactor,
    double GrowthPerDay,
    double Noise,
    double EventsPerDay,
    double GlitchesPerDay)
{
    /// <summary>A plausible profile drawn from <paramref name="seed"/>: the same seed gives the same profile.</summary>
    public static TrafficProfile FromSeed(ulong seed)
    {
        double U(int i) => SeededNoise.Uniform(seed, 0xC0FFEE, i);
        return new TrafficProfile(
            Base: 0.05 + (0.20 * U(0)),
            DailyAmplitude: 0.10 + (0.30 * U(1)),
            PeakHour: 9 + (11 * U(2)),
            WeekendFactor: 0.35 + (0.45 * U(3)),
            GrowthPerDay: 0.004 * U(4),
            Noise: 0.008 + (0.017 * U(5)),
            EventsPerDay: 0.15,
            GlitchesPerDay: 0.5);
    }
}
