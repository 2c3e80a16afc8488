namespace Pdsno.Storage.Telemetry;

/// <summary>A link's history as two evenly spaced series of utilization (shares of its speed, NaN where nothing was recorded), as models read it.</summary>
public static class HistorySeries
{
    /// <summary>
    /// The <paramref name="count"/> slots of <paramref name="step"/> from <paramref name="since"/> of the A end's
    /// points: what leaves it (A to B) and what arrives (B to A). Where only the hourly rollup is left, its hour stands
    /// for each slot it covers.
    /// </summary>
    public static (double[] AToB, double[] BToA) Of(IReadOnlyList<HistoryPoint> points, DateTimeOffset since, TimeSpan step, int count)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (aToB, bToA) = (new double[count], new double[count]);
        Array.Fill(aToB, double.NaN);
        Array.Fill(bToA, double.NaN);
        foreach (var p in points)
        {
            var first = (int)((p.At - since) / step);
            var covers = Math.Max(1, (int)(TimeSpan.FromSeconds(p.CoverSeconds) / step));
            for (var i = Math.Max(0, first); i < Math.Min(count, first + covers) && p.SpeedBps > 0; i++)
            {
                (aToB[i], bToA[i]) = (p.OutBps / p.SpeedBps, p.InBps / p.SpeedBps);
            }
        }

        return (aToB, bToA);
    }
}
