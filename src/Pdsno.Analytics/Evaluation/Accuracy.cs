namespace Pdsno.Analytics.Evaluation;

/// <summary>How close forecasts came: the measures the bench reports and the tests hold the model to.</summary>
public static class Accuracy
{
    /// <summary>
    /// Symmetric mean absolute percentage error in percent (0 to 200): mean of |f - a| / ((|a| + |f|) / 2), pairs
    /// where both are zero or either is unknown left out.
    /// </summary>
    public static double Smape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        if (actual.Length != forecast.Length)
        {
            throw new ArgumentException($"{actual.Length} actual values against {forecast.Length} forecast ones", nameof(forecast));
        }

        var (sum, n) = (0.0, 0);
        for (var i = 0; i < actual.Length; i++)
        {
            var (a, f) = (actual[i], forecast[i]);
            var denominator = (Math.Abs(a) + Math.Abs(f)) / 2;
            if (double.IsNaN(a) || double.IsNaN(f) || denominator == 0)
            {
                continue;
            }

            (sum, n) = (sum + (Math.Abs(f - a) / denominator), n + 1);
        }

        return n == 0 ? double.NaN : 100 * sum / n;
    }

    /// <summary>An exponentially weighted moving average carried flat over the horizon: the simplest baseline.</summary>
    public static double[] EwmaForecast(ReadOnlySpan<double> history, int horizon, double weight = 0.1)
    {
        var level = double.NaN;
        foreach (var v in history)
        {
            if (!double.IsNaN(v))
            {
                level = double.IsNaN(level) ? v : (weight * v) + ((1 - weight) * level);
            }
        }

        var forecast = new double[horizon];
        Array.Fill(forecast, level);
        return forecast;
    }
}
