namespace Pdsno.Grains.Controllers;

/// <summary>Chooses a region's next discovery interval: shorter while its network changes, longer while it is stable.</summary>
/// <remarks>
/// A cycle with changes halves the interval (never below the minimum); <see cref="StableCyclesToGrow"/> stable
/// cycles in a row grow it by <see cref="GrowthFactor"/> (never above the maximum). Intervals are whole seconds,
/// so the schedule, and the reminder row behind it, changes at most once per growth step.
/// </remarks>
public sealed class AdaptiveInterval
{
    /// <summary>Stable cycles in a row after which the interval grows.</summary>
    public const int StableCyclesToGrow = 3;

    /// <summary>How much the interval grows after <see cref="StableCyclesToGrow"/> stable cycles.</summary>
    public const double GrowthFactor = 1.5;

    /// <summary>Stable cycles counted since the interval last changed or a change was seen.</summary>
    public int StableCycles { get; private set; }

    /// <summary>The interval after a cycle that did, or did not, see changes.</summary>
    public TimeSpan Next(TimeSpan current, TimeSpan minimum, TimeSpan maximum, bool changed)
    {
        if (maximum < minimum)
        {
            throw new ArgumentException($"the maximum {maximum} is shorter than the minimum {minimum}", nameof(maximum));
        }

        if (changed)
        {
            StableCycles = 0;
            return Clamp(WholeSeconds(current / 2), minimum, maximum);
        }

        if (++StableCycles < StableCyclesToGrow)
        {
            return Clamp(current, minimum, maximum);
        }

        StableCycles = 0;
        return Clamp(WholeSeconds(current * GrowthFactor), minimum, maximum);
    }

    /// <summary>Forgets the stable cycles counted, as when a new policy takes over.</summary>
    public void Reset() => StableCycles = 0;

    private static TimeSpan WholeSeconds(TimeSpan interval) => TimeSpan.FromSeconds(Math.Ceiling(interval.TotalSeconds));

    private static TimeSpan Clamp(TimeSpan interval, TimeSpan minimum, TimeSpan maximum) =>
        interval < minimum ? minimum : interval > maximum ? maximum : interval;
}
