namespace Pdsno.Analytics.Traffic;

/// <summary>
/// Names the traffic of the simulated network by direction of flow, so the two ends of a cable see the same traffic:
/// what leaves one end is what arrives at the other.
/// </summary>
public static class TrafficFlows
{
    /// <summary>The seed of the traffic flowing from <paramref name="from"/> to <paramref name="to"/> (<c>device:interface</c>, empty for the outside world).</summary>
    public static ulong Seed(string tenant, string from, string to) => SeededNoise.SeedOf($"{tenant}|{from}>{to}");

    /// <summary>The generators of an interface's outbound and inbound traffic, growing from <paramref name="origin"/>.</summary>
    public static (TrafficGenerator Out, TrafficGenerator In) ForInterface(string tenant, string device, string name, string? peer, DateTimeOffset origin)
    {
        var self = device + ":" + name;
        var far = peer ?? string.Empty;
        return (TrafficGenerator.FromSeed(Seed(tenant, self, far), origin), TrafficGenerator.FromSeed(Seed(tenant, far, self), origin));
    }
}
