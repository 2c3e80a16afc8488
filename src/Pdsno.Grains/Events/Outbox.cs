using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Events;

/// <summary>What a grain state written through an <see cref="Outbox{TState}"/> carries.</summary>
internal interface IOutboxState
{
    /// <summary>Increases with every persisted change; the read model and event log are keyed by it.</summary>
    long Version { get; set; }

    /// <summary>Events written with the state but not yet known to be in the event log; replayed on activation.</summary>
    ImmutableArray<EventDraft> Outbox { get; set; }
}

/// <summary>
/// The steps every state change of a device, region or change takes. Where the grain storage can
/// (<see cref="IProjectingGrainStorage"/>, PostgreSQL in a silo), the state, its events and its read-model rows are
/// written in one transaction, then the stored events are announced on the tenant's topology stream. Otherwise (memory
/// storage in grain tests) the grain state is written first, with its events in an outbox; then the events and
/// read-model rows go to the projection writer in one transaction; then the events are announced. There a database
/// that is away leaves the state safe and the projection retried on a timer until it goes through; the next
/// activation replays what a crash left behind. Projections are idempotent (keyed by the state version), so a replay
/// is harmless.
/// </summary>
internal sealed class Outbox<TState>
    where TState : class, IOutboxState
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);

    private readonly Grain _grain;
    private readonly IPersistentState<TState> _state;
    private readonly IProjectionWriter _writer;
    private readonly Func<TState, bool, ProjectionWork> _work;
    private readonly Action<TState>? _projected;
    private readonly IAsyncStream<TopologyEvent> _topology;
    private readonly DeepCopier<TState> _copier;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly bool _together;
    private IGrainTimer? _retry;

    /// <param name="grain">The owning grain; its timers retry the projection.</param>
    /// <param name="state">The grain's persistent state.</param>
    /// <param name="writer">Where events and read-model rows go.</param>
    /// <param name="tenant">Whose topology stream announces the stored events.</param>
    /// <param name="name">How logs name the grain (e.g. <c>device t/abc</c>).</param>
    /// <param name="work">The projection of a state; with true, every row (after a failure, nothing is known to be written).</param>
    /// <param name="projected">Forgets what the grain tracked for the projection that just went through.</param>
    /// <param name="logger">The grain's logger.</param>
    public Outbox(
        Grain grain,
        IPersistentState<TState> state,
        IProjectionWriter writer,
        string tenant,
        string name,
        Func<TState, bool, ProjectionWork> work,
        Action<TState>? projected,
        ILogger logger)
    {
        _grain = grain;
        _state = state;
        _writer = writer;
        _work = work;
        _projected = projected;
        _topology = TopologyPublisher.StreamFor(grain, tenant);
        _copier = grain.GrainContext.ActivationServices.GetRequiredService<DeepCopier<TState>>();
        _logger = logger;
        _name = name;
        _together = grain.GrainContext.ActivationServices.GetKeyedService<IGrainStorage>(PdsnoStreams.Storage) is IProjectingGrainStorage;
    }

    /// <summary>True while a stored state waits for its projection.</summary>
    public bool Pending { get; private set; }

    /// <summary>
    /// Applies <paramref name="change"/> to the state, bumps its version, adds the events (numbered with the new
    /// version) to the outbox and writes it; then projects and announces. When the write fails, the state in memory is
    /// what it was before and the exception propagates, so the next observation finds the same change again. A failed
    /// projection does not throw: the state is stored, and the projection is retried.
    /// </summary>
    /// <param name="events">The events of the change, given the new version.</param>
    /// <param name="change">The change to the state, or null when the caller changed it already.</param>
    /// <param name="allRows">Whether the projection rewrites every row (a device's interfaces, a region's links).</param>
    public async Task CommitAsync(Func<long, IEnumerable<EventDraft>> events, Action<TState>? change = null, bool allRows = false)
    {
        ArgumentNullException.ThrowIfNull(events);
        var s = _state.State;
        var before = _copier.Copy(s);
        var version = s.Version + 1;
        change?.Invoke(s);
        s.Version = version;
        s.Outbox = s.Outbox.AddRange(events(version));
        if (_together)
        {
            await CommitTogetherAsync(s, before, allRows || _retry is not null);
            return;
        }

        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            // Nothing was stored: forget the change.
            _state.State = before;
            throw;
        }

        Pending = true;
        // A projection still waiting may not have written the rows this one leaves out.
        await ProjectAsync(allRows || _retry is not null);
    }

    // One transaction for the state and its projection: the stored state keeps nothing to replay.
    private async Task CommitTogetherAsync(TState s, TState before, bool allRows)
    {
        var work = _work(s, allRows);
        s.Outbox = [];
        _projected?.Invoke(s);
        StateProjection projection;
        try
        {
            using (var offer = StateProjection.With(work))
            {
                projection = offer.Projection;
                await _state.WriteStateAsync();
            }
        }
        catch
        {
            // Nothing was stored: forget the change; a projection that was waiting still waits.
            _state.State = before;
            throw;
        }

        Pending = false;
        StopRetry();
        await TopologyPublisher.PublishAsync(_topology, projection.Stored, _logger);
    }

    /// <summary>
    /// On activation of a grain with stored state: the previous activation may have died between the state write and
    /// the projection. Written with its projection, a state has nothing to replay, unless it comes from the earlier
    /// storage.
    /// </summary>
    public void Resume()
    {
        if (_together && _state.State.Outbox.IsEmpty && _state.Etag != StateProjection.EarlierStorage)
        {
            return;
        }

        Pending = true;
        ScheduleRetry(TimeSpan.Zero);
    }

    private async Task ProjectAsync(bool allRows)
    {
        var s = _state.State;
        var outbox = s.Outbox;
        try
        {
            var stored = await _writer.CommitAsync(_work(s, allRows));
            // Cleared in memory only; the next state write carries the empty outbox. A replay before then is harmless.
            if (s.Outbox == outbox)
            {
                s.Outbox = [];
                _projected?.Invoke(s);
            }

            Pending = false;
            StopRetry();
            await TopologyPublisher.PublishAsync(_topology, stored, _logger);
        }
        catch (ProjectionUnavailableException ex)
        {
            _logger.LogWarning("The {Grain} version {Version} is stored; its projection waits for the database: {Reason}", _name, s.Version, ex.Message);
            ScheduleRetry(RetryAfterFailure);
        }
    }

    // At most one timer per grain; it keeps the activation alive until the projection went through.
    private void ScheduleRetry(TimeSpan dueTime) =>
        _retry ??= _grain.RegisterGrainTimer(
            _ => RetryAsync(),
            new GrainTimerCreationOptions(dueTime, RetryPeriod) { Interleave = false, KeepAlive = true });

    private Task RetryAsync()
    {
        if (Pending)
        {
            return ProjectAsync(allRows: true);
        }

        StopRetry();
        return Task.CompletedTask;
    }

    private void StopRetry()
    {
        _retry?.Dispose();
        _retry = null;
    }
}
