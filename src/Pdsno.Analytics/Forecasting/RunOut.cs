namespace Pdsno.Analytics.Forecasting;

/// <summary>
/// When a series runs out of headroom. In the forecast: the first step whose upper bound (the 95th percentile of a
/// 90% interval) reaches the threshold. Beyond it: the day the trend of the daily 95th percentiles reaches it.
/// </summary>
public static class RunOut
{
    /// <summary>The first step of <paramref name="bands"/> whose upper bound reaches <paramref name="threshold"/>, or null.</summary>
    public static int? FirstCrossing(IReadOnlyList<ForecastBand> bands, double threshold)
    {
        ArgumentNullException.ThrowIfNull(bands);
        for (var i = 0; i < bands.Count; i++)
        {
            if (bands[i].Upper >= threshold)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// Days from the last full day of <paramref name="samples"/> until the least-squares line through the daily 95th
    /// percentiles reaches <paramref name="threshold"/>: 0 when the last day already did, null when the line never
    /// will within <paramref name="maximumDays"/> or there are fewer than <paramref name="minimumDays"/> full days.
    /// </summary>
    public static double? DaysUntil(ReadOnlySpan<double> samples, int samplesPerDay, double threshold, int minimumDays = 7, double maximumDays = 365)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerDay, 1);
        var days = samples.Length / samplesPerDay;
        var start = samples.Length - (days * samplesPerDay);
        var xs = new List<double>();
        var ps = new List<double>();
        var scratch = new List<double>(samplesPerDay);
        for (var d = 0; d < days; d++)
        {
            scratch.Clear();
            foreach (var v in samples.Slice(start + (d * samplesPerDay), samplesPerDay))
            {
                if (!double.IsNaN(v))
                {
                    scratch.Add(v);
                }
            }

            if (scratch.Count * 2 >= samplesPerDay)
            {
                scratch.Sort();
                xs.Add(d);
                ps.Add(scratch[(int)Math.Min(scratch.Count - 1, Math.Ceiling(0.95 * scratch.Count) - 1)]);
            }
        }

        if (xs.Count < minimumDays)
        {
            return null;
        }

        if (ps[^1] >= threshold)
        {
            return 0;
        }

        var (mx, my) = (xs.Average(), ps.Average());
        var (sxy, sxx) = (0.0, 0.0);
        for (var i = 0; i < xs.Count; i++)
        {
            sxy += (xs[i] - mx) * (ps[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }

        var slope = sxy / sxx;
        if (slope <= 0)
        {
            return null;
        }

        var lastDay = days - 1;
        var crossing = mx + ((threshold - my) / slope);
        var ahead = Math.Max(0, crossing - lastDay);
        return ahead <= maximumDays ? ahead : null;
    }
}
