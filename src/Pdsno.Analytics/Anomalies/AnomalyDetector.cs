namespace Pdsno.Analytics.Anomalies;

/// <summary>
/// Robust anomaly scoring of a series against what a model expected: each residual is scored by its distance from the
/// median residual in median absolute deviations (scaled to a standard deviation), and only a run of at least
/// <see cref="MinimumSamples"/> strong scores is an anomaly. A single wild sample, a counter glitch, never is.
/// </summary>
/// <param name="Threshold">The robust score (in standard deviations) from which a sample departs.</param>
/// <param name="MinimumSamples">The fewest departing samples that make an anomaly.</param>
/// <param name="MaximumGap">How many calm samples may interrupt one anomaly.</param>
public sealed record AnomalyDetector(double Threshold = 5, int MinimumSamples = 3, int MaximumGap = 1)
{
    /// <summary>MAD times this is the standard deviation of normally distributed residuals.</summary>
    private const double MadToSigma = 1.4826;

    /// <summary>A detector whose sustained run lasts at least <paramref name="sustained"/> at one sample every <paramref name="step"/>.</summary>
    public static AnomalyDetector ForStep(TimeSpan step, TimeSpan sustained) =>
        new(MinimumSamples: Math.Max(2, (int)Math.Ceiling(sustained / step)));

    /// <summary>The anomalies of <paramref name="actual"/> against <paramref name="expected"/> (NaN where unknown in either).</summary>
    public IReadOnlyList<AnomalyWindow> Detect(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"actual has {actual.Length} samples and expected {expected.Length}; they must match", nameof(expected));
        }

        if (Threshold <= 0 || MinimumSamples < 2 || MaximumGap < 0)
        {
            throw new InvalidOperationException($"a detector needs a positive threshold, at least two samples and a gap of none or more (has {Threshold}, {MinimumSamples}, {MaximumGap})");
        }

        var expectedAt = expected.ToArray();
        var residuals = new double[actual.Length];
        var known = new List<double>(actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            residuals[i] = actual[i] - expected[i];
            if (!double.IsNaN(residuals[i]))
            {
                known.Add(residuals[i]);
            }
        }

        var windows = new List<AnomalyWindow>();
        if (known.Count < MinimumSamples)
        {
            return windows;
        }

        var median = Median(known);
        for (var i = 0; i < known.Count; i++)
        {
            known[i] = Math.Abs(known[i] - median);
        }

        // A floor keeps a flat, noiseless series from turning rounding into anomalies.
        var scale = Math.Max(MadToSigma * Median(known), 1e-4);
        var (start, last) = (-1, -1);
        var scores = new List<double>();
        for (var i = 0; i <= residuals.Length; i++)
        {
            var departs = i < residuals.Length && !double.IsNaN(residuals[i]) && Math.Abs(residuals[i] - median) / scale >= Threshold;
            if (departs)
            {
                if (start >= 0 && i - last - 1 > MaximumGap)
                {
                    Close(start, last);
                    start = -1;
                }

                if (start < 0)
                {
                    start = i;
                    scores.Clear();
                }

                last = i;
                scores.Add((residuals[i] - median) / scale);
            }
            else if (start >= 0 && (i == residuals.Length || i - last > MaximumGap))
            {
                Close(start, last);
                start = -1;
            }
        }

        return windows;

        void Close(int from, int to)
        {
            if (scores.Count >= MinimumSamples)
            {
                var middle = (from + to) / 2;
                var e = expectedAt[middle] + median;
                windows.Add(new AnomalyWindow(from, to + 1, Median(scores), expectedAt[middle], e - (Threshold * scale), e + (Threshold * scale)));
            }
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
