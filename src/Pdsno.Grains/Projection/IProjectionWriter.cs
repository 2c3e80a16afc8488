using Pdsno.Abstractions.Events;

namespace Pdsno.Grains.Projection;

/// <summary>
/// Writes projections and events durably; returns the events newly stored, with their sequences. The grains own
/// this contract; the store implements it (PostgreSQL in a silo, memory in grain tests).
/// </summary>
public interface IProjectionWriter
{
    /// <summary>Commits <paramref name="work"/>; completes once it is durable. Events already stored are not returned again.</summary>
    Task<IReadOnlyList<TopologyEvent>> CommitAsync(ProjectionWork work, CancellationToken cancellationToken = default);
}
