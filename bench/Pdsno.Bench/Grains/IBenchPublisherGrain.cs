namespace Pdsno.Bench.Grains;

/// <summary>Publishes bench traffic on PDSNO streams from inside the silo. Key: <c>tenant/region</c> or <c>tenant</c>.</summary>
[Alias("pdsno.bench.IBenchPublisherGrain")]
public interface IBenchPublisherGrain : IGrainWithStringKey
{
    /// <summary>Publishes one discovery cycle of the region's prepared observations as a controller would; returns the batch count.</summary>
    [Alias("PublishCycle")]
    Task<int> PublishCycleAsync(string controller, long cycle);

    /// <summary>Publishes a topology event with sequence <paramref name="sequence"/> on the tenant's stream, stamped just before.</summary>
    [Alias("PublishStamped")]
    Task PublishStampedAsync(long sequence);
}
