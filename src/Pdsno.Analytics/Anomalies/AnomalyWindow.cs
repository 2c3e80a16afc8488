namespace Pdsno.Analytics.Anomalies;

/// <summary>
/// A stretch of samples that departed from what was expected: samples [<see cref="Start"/>, <see cref="End"/>) of
/// the scored series, the median robust score of its departing samples (signed: above or below; a median, so a
/// glitch inside the stretch does not speak for it), and the expected value and the normal range (expected ±
/// threshold spreads) at its middle.
/// </summary>
public sealed record AnomalyWindow(int Start, int End, double Score, double Expected, double RangeLow, double RangeHigh)
{
    /// <summary>How many samples the window spans.</summary>
    public int Length => End - Start;
}
