using Pdsno.Abstractions.Events;

namespace Pdsno.Grains.Projection;

/// <summary>
/// A grain storage that writes a grain's state in the same transaction as the projection the grain hands it through
/// <see cref="StateProjection"/>: state, read-model rows and events become durable together, in one commit.
/// </summary>
public interface IProjectingGrainStorage;

/// <summary>
/// The projection that travels with a grain's next state write. The grain offers it just before it writes its state;
/// a <see cref="IProjectingGrainStorage"/> takes it and commits both at once, then leaves the stored events here.
/// </summary>
public sealed class StateProjection
{
    private static readonly AsyncLocal<StateProjection?> Offered = new();

    private StateProjection(ProjectionWork work) => Work = work;

    /// <summary>
    /// The version a projecting storage gives a state it read from the storage used before it, which wrote state and
    /// projection apart: such a state may still wait for its projection.
    /// </summary>
    public const string EarlierStorage = "earlier";

    /// <summary>What the state's write projects to.</summary>
    public ProjectionWork Work { get; }

    /// <summary>The events newly stored by the write, with their sequences; set once the write is durable.</summary>
    public IReadOnlyList<TopologyEvent> Stored { get; private set; } = [];

    /// <summary>Offers <paramref name="work"/> to the state write that follows in this flow; dispose after the write.</summary>
    public static Offer With(ProjectionWork work)
    {
        var projection = new StateProjection(work);
        Offered.Value = projection;
        return new Offer(projection);
    }

    /// <summary>The projection offered to the state write under way, taken so no other write carries it again.</summary>
    public static StateProjection? Take()
    {
        var projection = Offered.Value;
        Offered.Value = null;
        return projection;
    }

    /// <summary>Called by the storage once the state and its projection are committed.</summary>
    public void Complete(IReadOnlyList<TopologyEvent> stored) => Stored = stored;

    /// <summary>The projection offered to one state write.</summary>
    public readonly struct Offer(StateProjection projection) : IDisposable
    {
        /// <summary>The offered projection.</summary>
        public StateProjection Projection => projection;

        /// <summary>Withdraws the offer if the write did not take it.</summary>
        public void Dispose() => Offered.Value = null;
    }
}
