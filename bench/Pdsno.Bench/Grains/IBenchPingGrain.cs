namespace Pdsno.Bench.Grains;

/// <summary>A grain that does nothing, to measure the raw grain-call rate of the silo.</summary>
[Alias("pdsno.bench.IBenchPingGrain")]
public interface IBenchPingGrain : IGrainWithIntegerKey
{
    /// <summary>Returns its argument.</summary>
    [Alias("Ping")]
    Task<int> PingAsync(int value);
}
