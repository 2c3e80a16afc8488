using Pdsno.GraphQL.Errors;

namespace Pdsno.GraphQL.Analytics;

/// <summary>The window and bucket of a utilization query, checked: bounded in length and in points.</summary>
public static class UtilizationWindow
{
    /// <summary>The most points one series answers.</summary>
    public const int MaxPoints = 2000;

    /// <summary>The longest window one query covers.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(92);

    private static readonly int[] Steps = [60, 300, 900, 3600, 21_600, 86_400];

    /// <summary>
    /// The window [since, until) and bucket asked for; <paramref name="until"/> defaults to now, <paramref name="start"/>
    /// to a day before it, the step to the finest that keeps within <see cref="MaxPoints"/>.
    /// </summary>
    /// <exception cref="PdsnoError">BAD_USER_INPUT naming the argument that is out of range.</exception>
    public static (DateTimeOffset Since, DateTimeOffset Until, TimeSpan Bucket) Parse(DateTimeOffset? start, DateTimeOffset? until, int? stepSeconds, DateTimeOffset now)
    {
        var end = until ?? now;
        var since = start ?? end.AddDays(-1);
        if (since >= end)
        {
            throw PdsnoError.BadUserInput($"since: {since:O} must be before until ({end:O})");
        }

        if (end - since > MaxWindow)
        {
            throw PdsnoError.BadUserInput($"since: the window from {since:O} to {end:O} is longer than {MaxWindow.TotalDays:0} days");
        }

        if (stepSeconds is { } step)
        {
            if (step is < 60 or > 86_400)
            {
                throw PdsnoError.BadUserInput($"step: {step} seconds must be between 60 and 86400");
            }

            var points = Math.Ceiling((end - since).TotalSeconds / step);
            return points > MaxPoints
                ? throw PdsnoError.BadUserInput($"step: {step} seconds gives {points:0} points, more than {MaxPoints}; ask for a longer step or a shorter window")
                : (since, end, TimeSpan.FromSeconds(step));
        }

        var chosen = Steps.First(s => Math.Ceiling((end - since).TotalSeconds / s) <= MaxPoints || s == Steps[^1]);
        return (since, end, TimeSpan.FromSeconds(chosen));
    }
}
