namespace Pdsno.Webhooks.Delivery;

/// <summary>Waits between attempts: exponential from a base, capped, with jitter so many failing webhooks do not retry in step.</summary>
public static class Backoff
{
    /// <summary>
    /// The wait after the <paramref name="failedAttempts"/>th failure in a row: <c>base * 2^(n-1)</c>, at most
    /// <paramref name="max"/>, then scaled by a factor in [0.5, 1) drawn from <paramref name="jitter"/> (a number in [0, 1)).
    /// </summary>
    public static TimeSpan Delay(int failedAttempts, TimeSpan baseDelay, TimeSpan max, double jitter)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ticks = Math.Min(max.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * (0.5 + (Math.Clamp(jitter, 0, 1) / 2))));
    }
}
