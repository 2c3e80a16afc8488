namespace Pdsno.Analytics.Forecasting;

/// <summary>A series too short to forecast from: says how much history there is and how much a forecast needs.</summary>
public sealed class InsufficientHistoryException : Exception
{
    /// <summary>Creates the error for <paramref name="available"/> of history against <paramref name="required"/>.</summary>
    public InsufficientHistoryException(TimeSpan available, TimeSpan required)
        : base($"{Describe(available)} of history is too little: a forecast needs at least {Describe(required)} (a week to learn the seasons from and a day to fit on)")
    {
        Available = available;
        Required = required;
    }

    /// <summary>How much history there is.</summary>
    public TimeSpan Available { get; }

    /// <summary>How much history a forecast needs.</summary>
    public TimeSpan Required { get; }

    private static string Describe(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days" : $"{span.TotalHours:0.#} hours";
}
