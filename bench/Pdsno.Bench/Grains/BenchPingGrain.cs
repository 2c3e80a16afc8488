namespace Pdsno.Bench.Grains;

/// <summary>Answers pings.</summary>
[GrainType("bench-ping")]
public sealed class BenchPingGrain : Grain, IBenchPingGrain
{
    /// <inheritdoc />
    public Task<int> PingAsync(int value) => Task.FromResult(value);
}
