using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Live;

/// <summary>
/// Follows a tenant's durable event log from a cursor: a cursor older than the silo's <see cref="EventTail"/> reads
/// the log in pages up to the tail's head, then the subscriber is served from the tail, filtered in memory. Both
/// read the log in sequence order, and the tail holds every event after its oldest, so the seam has no gap and no
/// duplicate; the cost of a new event is one read per silo, whatever the number of subscribers.
/// </summary>
public sealed class EventFollower(TopologyReader reader, EventTail tail)
{
    private const int PageSize = 500;

    /// <summary>The longest the log goes unread when no signal arrives (a memory stream may lose one).</summary>
    public static readonly TimeSpan PollFallback = TimeSpan.FromSeconds(1);

    /// <summary>Events after <paramref name="since"/> (or from now) that match <paramref name="filter"/>, until the subscriber leaves.</summary>
    public IObservable<EventRecord> Follow(string tenant, long? since, EventQuery filter) =>
        new AsyncObservable<EventRecord>(async (observer, cancellationToken) =>
        {
            var events = await tail.ForTenantAsync(tenant);
            var cursor = since ?? await tail.LastSequenceAsync(tenant, cancellationToken);
            var batch = new List<EventRecord>();
            while (true)
            {
                var seen = events.Changed.Version;
                if (events.TryTake(ref cursor, filter, batch, out var head))
                {
                    foreach (var e in batch)
                    {
                        observer.OnNext(e);
                    }

                    batch.Clear();
                    await events.Changed.WaitAsync(seen, Timeout.InfiniteTimeSpan, cancellationToken);
                    continue;
                }

                // Behind the tail: catch up from the log, bounded by the head the tail had, then look again.
                var page = await reader.ReadEventsAsync(tenant, filter with { Since = cursor, Until = head }, PageSize, cancellationToken);
                foreach (var e in page)
                {
                    observer.OnNext(e);
                }

                cursor = page.Count < PageSize ? head : page[^1].Sequence;
            }
        });
}
