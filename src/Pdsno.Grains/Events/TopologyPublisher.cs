using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Events;

namespace Pdsno.Grains.Events;

/// <summary>
/// Announces durable events on the tenant's topology stream. Announcing is best effort: the events are
/// already in the log, and a subscriber that missed some resumes from its last sequence.
/// </summary>
internal static class TopologyPublisher
{
    public static IAsyncStream<TopologyEvent> StreamFor(Grain grain, string tenant) =>
        grain.GetStreamProvider(PdsnoStreams.Provider).GetStream<TopologyEvent>(StreamId.Create(PdsnoStreams.Topology, tenant));

    public static async Task PublishAsync(IAsyncStream<TopologyEvent> stream, IReadOnlyList<TopologyEvent> events, ILogger logger)
    {
        foreach (var e in events)
        {
            try
            {
                await stream.OnNextAsync(e);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Event {Sequence} of tenant {Tenant} is stored but could not be announced", e.Sequence, e.Tenant);
                return;
            }
        }
    }
}
