using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

// Compliance intents follow the devices they select: a device that joins a selector (added, or its role or region
// changed), drifts, or has its intended config changed by another change makes the intents selecting it check again.
public sealed partial class IntentNetworkGrain
{
    // Events arrive one by one in a burst (a discovery cycle, a change of many targets): the intents to check are
    // gathered this long and told once, so a burst gives one remediation change per intent.
    private static readonly TimeSpan RemediationDelay = TimeSpan.FromMilliseconds(300);
    private readonly HashSet<string> _toRemediate = new(StringComparer.Ordinal);
    private IGrainTimer? _remediation;

    /// <inheritdoc />
    public async Task<IntentCompilation?> CompiledAsync(string intent)
    {
        var engine = await ReadyAsync();
        return engine.Compiled(intent);
    }

    /// <summary>The event types after which a compliance intent checks the device again.</summary>
    internal static bool Remediates(TopologyEventType type) => type is TopologyEventType.DeviceAdded or TopologyEventType.DeviceChanged
        or TopologyEventType.ConfigDrift or TopologyEventType.ConfigApplied;

    // Notes the compliance intents selecting a device these events name.
    private void NoteCompliance(IntentEngine engine, IReadOnlyList<TopologyEvent> events)
    {
        if (!engine.HasCompliance)
        {
            return;
        }

        var devices = events.Where(e => Remediates(e.Type) && e.Device is not null).Select(e => e.Device!).ToHashSet(StringComparer.Ordinal);
        if (devices.Count == 0)
        {
            return;
        }

        _toRemediate.UnionWith(engine.ComplianceSelecting(devices).Select(e => e.Id));
        if (_toRemediate.Count > 0 && _remediation is null)
        {
            _remediation = this.RegisterGrainTimer(
                _ => RemediateAsync(),
                new GrainTimerCreationOptions(RemediationDelay, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
        }
    }

    private Task RemediateAsync()
    {
        _remediation?.Dispose();
        _remediation = null;
        var engine = _engine!;
        foreach (var id in _toRemediate)
        {
            if (engine.Get(id) is { Placement: Placement.Placed } entry)
            {
                _ = GrainFactory.GetGrain<IIntentGrain>(new IntentId(Tenant, id).ToString()).RemediateAsync(engine.PlacementOf(entry));
            }
        }

        _toRemediate.Clear();
        return Task.CompletedTask;
    }
}
