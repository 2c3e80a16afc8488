namespace Pdsno.Grains.History;

/// <summary>
/// Takes finished minutes of interface history to be written in batches. The grains own this contract; the host
/// implements it (a batch writer to PostgreSQL in a silo, nothing in grain tests). Recording never waits and never
/// throws: history is worth less than discovery.
/// </summary>
public interface IHistoryRecorder
{
    /// <summary>Queues <paramref name="minutes"/> of the tenant's interfaces for the next batch.</summary>
    void Record(string tenant, IReadOnlyList<HistoryMinute> minutes);
}

/// <summary>A recorder that keeps nothing: grains without a history store.</summary>
public sealed class DiscardedHistory : IHistoryRecorder
{
    /// <inheritdoc />
    public void Record(string tenant, IReadOnlyList<HistoryMinute> minutes)
    {
    }
}
