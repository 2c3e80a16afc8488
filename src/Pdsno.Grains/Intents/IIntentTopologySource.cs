using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

/// <summary>
/// Where a tenant's topology graph comes from: a snapshot of the read model with the event-log sequence it reflects,
/// then the log after that sequence. The grains own this contract; the store implements it (the read model in a silo).
/// </summary>
public interface IIntentTopologySource
{
    /// <summary>Every device, interface and link of the tenant and the last sequence of its log, read in one snapshot.</summary>
    Task<TopologySnapshot> LoadAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> events after <paramref name="sequence"/>, with the rows the events that carry no data name.</summary>
    Task<TopologyUpdate> ReadSinceAsync(string tenant, long sequence, int max, CancellationToken cancellationToken = default);

    /// <summary>The tenant's stored intents that hold or seek reservations (every one not withdrawn).</summary>
    Task<IReadOnlyList<IntentView>> LoadIntentsAsync(string tenant, CancellationToken cancellationToken = default);
}
