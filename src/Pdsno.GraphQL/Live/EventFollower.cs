using Npgsql;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Live;

/// <summary>
/// Follows a tenant's durable event log from a cursor: first the replay from <c>since</c>, then each new
/// event as the topology stream signals it. Reading the log for both phases is what makes the seam exact:
/// the sequence is allocated under a per-tenant row lock and committed in order, so "everything after my
/// cursor" never skips an event that commits later with a lower number.
/// </summary>
public sealed class EventFollower(TopologyReader reader, TopologySignals signals, NpgsqlDataSource dataSource)
{
    private const int PageSize = 500;

    /// <summary>The longest a follower waits for a signal before looking at the log anyway.</summary>
    public static readonly TimeSpan PollFallback = TimeSpan.FromSeconds(1);

    /// <summary>Events after <paramref name="since"/> (or from now) that match <paramref name="filter"/>, until the subscriber leaves.</summary>
    public IObservable<EventRecord> Follow(string tenant, long? since, EventQuery filter) =>
        new AsyncObservable<EventRecord>(async (observer, cancellationToken) =>
        {
            var signal = await signals.ForTenantAsync(tenant);
            var cursor = since ?? await LastSequenceAsync(tenant, cancellationToken);
            while (true)
            {
                var seen = signal.Version;
                var page = await reader.ReadEventsAsync(tenant, filter with { Since = cursor }, PageSize, cancellationToken);
                foreach (var e in page)
                {
                    observer.OnNext(e);
                    cursor = e.Sequence;
                }

                if (page.Count < PageSize)
                {
                    await signal.WaitAsync(seen, PollFallback, cancellationToken);
                }
            }
        });

    private async Task<long> LastSequenceAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM events WHERE tenant = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
