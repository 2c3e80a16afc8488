using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Analytics;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Policy;
using Pdsno.Grains.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Analytics;

/// <summary>
/// A tenant's analytics events. The analysis runs outside (in the silo, off the request path) and reports each
/// round's verdicts here; the grain keeps which directions are congested or anomalous and writes the events that
/// change, with its state, through the outbox, so they reach the event log, subscribers and webhooks like any other.
/// It is also the closed loop's start: each newly predicted direction goes to the tenant's intent graph, which moves
/// the intents over the link as the region's policy allows, and what it did becomes an INTENTS_REOPTIMIZED event.
/// </summary>
[GrainType("analytics")]
public sealed partial class AnalyticsGrain(
    [PersistentState("analytics", PdsnoStreams.Storage)] IPersistentState<AnalyticsState> state,
    IProjectionWriter projection,
    TimeProvider clock,
    ILogger<AnalyticsGrain> logger) : Grain, IAnalyticsGrain
{
    private const string Actor = "system:analytics";
    private Outbox<AnalyticsState> _outbox = null!;
    private string _tenant = "";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenant = this.GetPrimaryKeyString();
        _outbox = new Outbox<AnalyticsState>(this, state, projection, _tenant, $"analytics {_tenant}", (s, _) => new ProjectionWork(_tenant, s.Outbox), projected: null, logger);
        if (state.RecordExists)
        {
            _outbox.Resume();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<int> RecordAsync(ImmutableArray<SeriesVerdict> verdicts, AnalyticsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        verdicts = verdicts.IsDefault ? [] : verdicts;
        var s = state.State;
        var (congested, anomalous, changes) = AnalyticsRules.Judge(s.Congested, s.Anomalous, verdicts);
        var now = clock.GetUtcNow();
        if (changes.Count > 0 || !anomalous.SetEquals(s.Anomalous))
        {
            await _outbox.CommitAsync(
                version => changes.Select((c, n) => Draft(c.Type, c.Verdict, version, n, c.OldValue, c.NewValue, now)),
                x =>
                {
                    x.Congested = congested;
                    x.Anomalous = anomalous;
                });
        }

        return changes.Count + await LoopAsync(verdicts, policy, now);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<CongestionSignal>> LoopedAsync() => Task.FromResult(state.State.Looped.Values.ToImmutableArray());

    // Hands each predicted direction the loop has not seen to the tenant's intents (once; a failure is tried again next
    // round) and tells them of each one that cleared. Where intents run over the link, an event says what the loop did.
    private async Task<int> LoopAsync(ImmutableArray<SeriesVerdict> verdicts, AnalyticsPolicy policy, DateTimeOffset now)
    {
        var s = state.State;
        var network = GrainFactory.GetGrain<IIntentNetworkGrain>(_tenant);
        var looped = s.Looped;
        var acted = new List<(SeriesVerdict Verdict, CongestionSignal Signal, LoopOutcome Outcome)>();
        foreach (var v in verdicts.Where(v => v.Congestion is not null && s.Congested.ContainsKey(v.Key) && !s.Looped.ContainsKey(v.Key)))
        {
            var signal = new CongestionSignal(v.Link, v.Direction, v.Congestion!.UpperPercent, v.Congestion.ExpectedAt, policy.LoopIn(v.Region));
            try
            {
                var outcome = await network.CongestionAsync(signal);
                looped = looped.SetItem(v.Key, signal);
                if (outcome.Any)
                {
                    acted.Add((v, signal, outcome));
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLoopFailed(logger, ex, v.Link, _tenant);
            }
        }

        foreach (var key in s.Looped.Keys.Where(k => !s.Congested.ContainsKey(k)))
        {
            var signal = s.Looped[key];
            try
            {
                await network.CongestionClearedAsync(signal.Link, signal.Direction);
                looped = looped.Remove(key);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLoopFailed(logger, ex, signal.Link, _tenant);
            }
        }

        if (looped == s.Looped)
        {
            return 0;
        }

        await _outbox.CommitAsync(
            version => acted.Select((a, n) => Draft(TopologyEventType.IntentsReoptimized, a.Verdict, version, n, null, AnalyticsRules.Describe(a.Signal, a.Outcome), now)),
            x => x.Looped = looped);
        return acted.Count;
    }

    private EventDraft Draft(TopologyEventType type, SeriesVerdict v, long version, int n, string? oldValue, string? newValue, DateTimeOffset now) =>
        new(type, "analytics:" + _tenant, version, n, v.Region, v.Device, v.Interface, v.Link.Length > 0 ? v.Link : null, oldValue, newValue, now, Actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The closed loop could not reach the intents over link {Link} of tenant {Tenant}; the next round tries again")]
    private static partial void LogLoopFailed(ILogger logger, Exception ex, string link, string tenant);
}
