using System.Diagnostics;

namespace Pdsno.Bench.Scenarios;

/// <summary>Polls a condition; the silo works asynchronously.</summary>
internal static class Wait
{
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, int pollMs = 50)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(pollMs);
        }

        return true;
    }

    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout, int pollMs = 20) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, pollMs);

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.OrderBy(v => v).ToList();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
