namespace Pdsno.Analytics.Traffic;

/// <summary>
/// Deterministic utilization (share of capacity, 0 to 1) of one traffic direction: the value at a time depends only
/// on the seed, the profile, the origin of growth and the sample step, never on what was generated before.
/// </summary>
/// <param name="seed">Chooses the noise, the events and the glitches.</param>
/// <param name="profile">The shape of the traffic.</param>
/// <param name="origin">Where growth starts from (growth adds <see cref="TrafficProfile.GrowthPerDay"/> a day after it).</param>
public sealed class TrafficGenerator(ulong seed, TrafficProfile profile, DateTimeOffset origin)
{
    private const ulong NoiseStream = 1;
    private const ulong EventStream = 2;
    private const ulong GlitchStream = 3;
    private const double SecondsPerDay = 86_400;

    /// <summary>The seed of this series.</summary>
    public ulong Seed => seed;

    /// <summary>The shape of this series.</summary>
    public TrafficProfile Profile => profile;

    /// <summary>Where growth starts from.</summary>
    public DateTimeOffset Origin => origin;

    /// <summary>A generator whose profile is drawn from the seed too.</summary>
    public static TrafficGenerator FromSeed(ulong seed, DateTimeOffset origin) => new(seed, TrafficProfile.FromSeed(seed), origin);

    /// <summary>The load the seasons and growth alone predict at <paramref name="at"/>: no noise, no events.</summary>
    public double Expected(DateTimeOffset at)
    {
        var hour = at.UtcDateTime.TimeOfDay.TotalHours;
        var shape = (1 + Math.Cos(2 * Math.PI * (hour - profile.PeakHour) / 24)) / 2;
        var weekend = at.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? profile.WeekendFactor : 1.0;
        var days = (at - origin).TotalDays;
        return Math.Clamp(profile.Base + (profile.GrowthPerDay * days) + (profile.DailyAmplitude * shape * shape * weekend), 0, 1);
    }

    /// <summary>The sample a reader taking one sample every <paramref name="step"/> sees at <paramref name="at"/>.</summary>
    public double Sample(DateTimeOffset at, TimeSpan step)
    {
        var seconds = at.ToUnixTimeSeconds();
        if (IsGlitch(seconds, step))
        {
            // A wrapped or reset counter read as a rate: pinned at line rate or at nothing.
            return SeededNoise.Uniform(seed, GlitchStream + 100, seconds) < 0.7 ? 1.0 : 0.0;
        }

        var value = Expected(at) + (profile.Noise * SeededNoise.Gaussian(seed, NoiseStream, seconds));
        foreach (var e in DayEvents(DayOf(seconds)).Concat(DayEvents(DayOf(seconds) - 1)))
        {
            if (e.Covers(at))
            {
                value = e.Kind == TrafficEventKind.FlashCrowd ? value + e.Magnitude : value * e.Magnitude;
            }
        }

        return Math.Clamp(value, 0, 1);
    }

    /// <summary><paramref name="count"/> samples every <paramref name="step"/> from <paramref name="from"/>.</summary>
    public double[] Generate(DateTimeOffset from, TimeSpan step, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckStep(step);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Sample(from + (step * i), step);
        }

        return values;
    }

    /// <summary>The events (and, sampled every <paramref name="step"/>, the glitches) that start in [from, to).</summary>
    public IReadOnlyList<TrafficEvent> Events(DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        CheckStep(step);
        var events = new List<TrafficEvent>();
        for (var day = DayOf(from.ToUnixTimeSeconds()) - 1; day <= DayOf(to.ToUnixTimeSeconds()); day++)
        {
            events.AddRange(DayEvents(day).Where(e => e.Start >= from && e.Start < to));
        }

        var first = (long)Math.Ceiling(from.ToUnixTimeSeconds() / step.TotalSeconds);
        for (var at = DateTimeOffset.FromUnixTimeSeconds((long)(first * step.TotalSeconds)); at < to; at += step)
        {
            if (IsGlitch(at.ToUnixTimeSeconds(), step))
            {
                events.Add(new TrafficEvent(TrafficEventKind.Glitch, at, step, 1));
            }
        }

        return [.. events.OrderBy(e => e.Start)];
    }

    private static long DayOf(long seconds) => (long)Math.Floor(seconds / SecondsPerDay);

    private static void CheckStep(TimeSpan step)
    {
        if (step < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "the sample step must be at least one second");
        }
    }

    private bool IsGlitch(long seconds, TimeSpan step) =>
        SeededNoise.Uniform(seed, GlitchStream, seconds) < profile.GlitchesPerDay * step.TotalSeconds / SecondsPerDay;

    private IEnumerable<TrafficEvent> DayEvents(long day)
    {
        if (SeededNoise.Uniform(seed, EventStream, day * 8) >= profile.EventsPerDay)
        {
            yield break;
        }

        // Events fall in the busy hours, where an operator would care and where a drop is large enough to see.
        var startHour = profile.PeakHour - 4 + (6 * SeededNoise.Uniform(seed, EventStream, (day * 8) + 1));
        var start = DateTimeOffset.FromUnixTimeSeconds((long)((day * SecondsPerDay) + (startHour * 3600)));
        var duration = TimeSpan.FromMinutes(Math.Round(30 + (120 * SeededNoise.Uniform(seed, EventStream, (day * 8) + 2))));
        var flash = SeededNoise.Uniform(seed, EventStream, (day * 8) + 3) < 0.6;
        var size = SeededNoise.Uniform(seed, EventStream, (day * 8) + 4);
        yield return flash
            ? new TrafficEvent(TrafficEventKind.FlashCrowd, start, duration, 0.15 + (0.25 * size))
            : new TrafficEvent(TrafficEventKind.SuddenDrop, start, duration, 0.1 + (0.3 * size));
    }
}
