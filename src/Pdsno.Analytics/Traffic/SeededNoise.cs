namespace Pdsno.Analytics.Traffic;

/// <summary>
/// Random numbers addressed by position instead of drawn in sequence: the value at (seed, stream, index) is always the
/// same, so any sample of a series can be produced alone, in any order, on any machine.
/// </summary>
public static class SeededNoise
{
    /// <summary>A well-mixed 64-bit value for (seed, stream, index), after the SplitMix64 finalizer.</summary>
    public static ulong Hash(ulong seed, ulong stream, long index)
    {
        var x = seed ^ (stream * 0x9E3779B97F4A7C15UL) ^ ((ulong)index * 0xD1B54A32D192ED03UL);
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }

    /// <summary>A uniform value in [0, 1).</summary>
    public static double Uniform(ulong seed, ulong stream, long index) => (Hash(seed, stream, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal value (Box-Muller over two positioned uniforms).</summary>
    public static double Gaussian(ulong seed, ulong stream, long index)
    {
        var u1 = Math.Max(Uniform(seed, stream, 2 * index), 1e-300);
        var u2 = Uniform(seed, stream, (2 * index) + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A stable 64-bit seed for a name (FNV-1a), so an interface's traffic follows from its identity.</summary>
    public static ulong SeedOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }
}
