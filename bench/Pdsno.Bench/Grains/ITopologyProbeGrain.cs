namespace Pdsno.Bench.Grains;

/// <summary>An explicit subscriber of a tenant's topology stream that records receipt times. Key: <c>tenant</c>.</summary>
[Alias("pdsno.bench.ITopologyProbeGrain")]
public interface ITopologyProbeGrain : IGrainWithStringKey
{
    /// <summary>Subscribes (once) to the tenant's topology stream.</summary>
    [Alias("Start")]
    Task StartAsync();
}
