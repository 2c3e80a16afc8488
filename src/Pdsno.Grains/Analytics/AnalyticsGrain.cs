using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Analytics;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Grains.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Analytics;

/// <summary>
/// A tenant's analytics events. The analysis runs outside (in the silo, off the request path) and reports each
/// round's verdicts here; the grain keeps which directions are congested or anomalous and writes the events that
/// change, with its state, through the outbox, so they reach the event log, subscribers and webhooks like any other.
/// </summary>
[GrainType("analytics")]
public sealed class AnalyticsGrain(
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
    public async Task<int> RecordAsync(ImmutableArray<SeriesVerdict> verdicts)
    {
        var s = state.State;
        var (congested, anomalous, changes) = AnalyticsRules.Judge(s.Congested, s.Anomalous, verdicts.IsDefault ? [] : verdicts);
        if (changes.Count == 0 && anomalous.SetEquals(s.Anomalous))
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        await _outbox.CommitAsync(
            version => changes.Select((c, n) => new EventDraft(
                c.Type, "analytics:" + _tenant, version, n, c.Verdict.Region, c.Verdict.Device, c.Verdict.Interface, c.Verdict.Link, c.OldValue, c.NewValue, now, Actor)),
            x =>
            {
                x.Congested = congested;
                x.Anomalous = anomalous;
            });
        return changes.Count;
    }
}
