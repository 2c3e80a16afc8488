namespace Pdsno.Analytics.Forecasting;

/// <summary>Turns raw samples into the evenly spaced buckets a model reads, and bucket values back into per-sample expectations.</summary>
public static class Buckets
{
    /// <summary>
    /// The median of each run of <paramref name="perBucket"/> samples (NaN ignored; NaN when all are): a median, not a
    /// mean, so a glitched sample cannot move what the model learns.
    /// </summary>
    public static double[] Medians(ReadOnlySpan<double> samples, int perBucket)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perBucket, 1);
        var buckets = new double[samples.Length / perBucket];
        var scratch = new double[perBucket];
        for (var b = 0; b < buckets.Length; b++)
        {
            var n = 0;
            foreach (var v in samples.Slice(b * perBucket, perBucket))
            {
                if (!double.IsNaN(v))
                {
                    scratch[n++] = v;
                }
            }

            if (n == 0)
            {
                buckets[b] = double.NaN;
                continue;
            }

            Array.Sort(scratch, 0, n);
            buckets[b] = n % 2 == 1 ? scratch[n / 2] : (scratch[(n / 2) - 1] + scratch[n / 2]) / 2;
        }

        return buckets;
    }

    /// <summary>
    /// Per-sample values from per-bucket ones, drawn as straight lines between bucket centres, so a steep daily ramp
    /// within a bucket is not mistaken for a departure.
    /// </summary>
    public static double[] Interpolate(ReadOnlySpan<double> buckets, int perBucket, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perBucket, 1);
        var values = new double[samples];
        if (buckets.IsEmpty)
        {
            Array.Fill(values, double.NaN);
            return values;
        }

        for (var i = 0; i < samples; i++)
        {
            var position = ((i + 0.5) / perBucket) - 0.5;
            var left = Math.Clamp((int)Math.Floor(position), 0, buckets.Length - 1);
            var right = Math.Min(left + 1, buckets.Length - 1);
            var t = Math.Clamp(position - left, 0, 1);
            values[i] = (buckets[left] * (1 - t)) + (buckets[right] * t);
        }

        return values;
    }
}
