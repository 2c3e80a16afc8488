using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Regions;
using Pdsno.Grains.Controllers;
using Pdsno.Grains.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Regions;

/// <summary>
/// Governs one region: consumes its discovery stream, keeps one device per chassis id, applies the
/// missed-cycle rule and reconciles links from both ends' neighbour tables. Runs on its last good policy.
/// </summary>
[GrainType("region")]
[ImplicitStreamSubscription(PdsnoStreams.Discovery)]
public sealed class RegionGrain(
    [PersistentState("region", PdsnoStreams.Storage)] IPersistentState<RegionState> state,
    IProjectionWriter projection,
    ILogger<RegionGrain> logger) : Grain, IRegionGrain
{
    private readonly Reconciler _reconciler = new();
    // Batches whose device calls still run; the stream may deliver the next batch meanwhile, up to this bound.
    private const int MaxBatchesInFlight = 4;

    private readonly Dictionary<string, CycleProgress> _cycles = new(StringComparer.Ordinal);
    private readonly List<Task> _inFlight = [];
    private readonly List<(string Device, string Controller)> _newMembers = [];

    // Link reconciliation maps every neighbour's chassis id to a device key each cycle; the mapping never changes.
    private readonly Dictionary<string, string> _deviceKeyOfChassis = new(StringComparer.Ordinal);
    private RegionId _id;
    private Outbox<RegionState> _outbox = null!;
    // The adaptive interval lives in memory only: the controllers' reminders hold the schedule durably.
    private readonly AdaptiveInterval _adaptive = new();
    private TimeSpan? _interval;
    private IStreamProvider? _telemetryStreams;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = RegionId.Parse(this.GetPrimaryKeyString());
        _outbox = new Outbox<RegionState>(this, state, projection, _id.Tenant, $"region {_id}", ProjectionOf, s => s.ChangedLinks = [], logger);
        foreach (var (device, controller) in state.State.Members)
        {
            _reconciler.Know(device, controller);
        }

        var discovery = this.GetStreamProvider(PdsnoStreams.Provider).GetStream<DiscoveryBatch>(StreamId.Create(PdsnoStreams.Discovery, _id.ToString()));
        await discovery.SubscribeAsync((batch, _) => OnBatchAsync(batch));

        if (state.State.Version > 0)
        {
            _outbox.Resume();
        }
    }

    /// <inheritdoc />
    public async Task EnsureStartedAsync(RegionSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Controllers.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"region {_id} needs at least one controller", nameof(setup));
        }

        foreach (var c in setup.Controllers)
        {
            KeyPart.Validate(c, "controller");
        }

        var s = state.State;
        var policy = await GrainFactory.GetGrain<IGlobalPolicyGrain>(_id.Tenant).RegisterRegionAsync(_id.Region);
        var created = s.Version == 0 || s.Deleted;
        var changed = created
            || !s.Controllers.SequenceEqual(setup.Controllers)
            || s.Driver != setup.Driver
            || !s.Targets.SequenceEqual(setup.Targets)
            || policy.Version > s.Policy.Version;
        if (changed)
        {
            s.Controllers = setup.Controllers;
            s.Driver = setup.Driver;
            s.Targets = setup.Targets;
            if (policy.Version >= s.Policy.Version)
            {
                s.Policy = policy;
            }

            s.Deleted = false;
            await CommitAsync([], [], created ? [(TopologyEventType.RegionAdded, null, s.DisplayName ?? _id.Region)] : []);
        }

        await ConfigureControllersAsync();
    }

    /// <inheritdoc />
    public async Task RenameAsync(string displayName)
    {
        var s = state.State;
        if (s.Version == 0 || s.Deleted)
        {
            throw new KeyNotFoundException($"region '{_id.Region}' does not exist");
        }

        var name = displayName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            throw new ArgumentException("a region name is 1 to 200 characters", nameof(displayName));
        }

        if (name == (s.DisplayName ?? _id.Region))
        {
            return;
        }

        var old = s.DisplayName ?? _id.Region;
        s.DisplayName = name;
        await CommitAsync([], [], [(TopologyEventType.RegionChanged, old, name)]);
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        var s = state.State;
        if (s.Version == 0 || s.Deleted)
        {
            throw new KeyNotFoundException($"region '{_id.Region}' does not exist");
        }

        if (!s.Members.IsEmpty)
        {
            throw new InvalidOperationException($"region '{_id.Region}' still has {s.Members.Count} devices; move or retire them first");
        }

        foreach (var controller in s.Controllers)
        {
            await GrainFactory.GetGrain<ILocalControllerGrain>(new ControllerId(_id, controller).ToString()).StopAsync();
        }

        await GrainFactory.GetGrain<IGlobalPolicyGrain>(_id.Tenant).UnregisterRegionAsync(_id.Region);
        s.Controllers = [];
        s.Deleted = true;
        await CommitAsync([], [], [(TopologyEventType.RegionRemoved, s.DisplayName ?? _id.Region, null)]);
    }

    /// <inheritdoc />
    public async Task ApplyPolicyAsync(GlobalPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Version <= state.State.Policy.Version)
        {
            return;
        }

        state.State.Policy = policy;
        await CommitAsync([], [], []);
        await ConfigureControllersAsync();
    }

    /// <inheritdoc />
    public Task TriggerDiscoveryAsync()
    {
        // Not awaited: the cycle's batches come back to this grain through the stream.
        foreach (var controller in state.State.Controllers)
        {
            GrainFactory.GetGrain<ILocalControllerGrain>(new ControllerId(_id, controller).ToString()).RunCycleNowAsync().Ignore();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<RegionSnapshot> GetSnapshotAsync()
    {
        var s = state.State;
        var devices = s.Members.Keys.ToImmutableDictionary(
            d => d,
            d => _reconciler.MissedCycles(d) switch
            {
                0 => DeviceStatus.Active,
                var n when n >= s.Policy.MissedCyclesUntilInactive => DeviceStatus.Inactive,
                _ => DeviceStatus.Unreachable,
            });
        return Task.FromResult(new RegionSnapshot(_id.ToString(), s.Controllers, devices, [.. s.Links.Values.OrderBy(l => l.Id, StringComparer.Ordinal)], s.Policy.Version, s.Version, s.DisplayName, s.Version > 0 && !s.Deleted));
    }

    private async Task ConfigureControllersAsync()
    {
        var s = state.State;
        _interval = s.Policy.DiscoveryInterval;
        _adaptive.Reset();
        foreach (var controller in s.Controllers)
        {
            await GrainFactory.GetGrain<ILocalControllerGrain>(new ControllerId(_id, controller).ToString())
                .ConfigureAsync(s.Driver, s.Targets, s.Policy.DiscoveryInterval);
        }
    }

    private async Task OnBatchAsync(DiscoveryBatch batch)
    {
        if (state.State.Deleted)
        {
            return;
        }

        var controller = batch.Controller.Controller;
        if (!_cycles.TryGetValue(controller, out var progress) || progress.Cycle != batch.Cycle || batch.BatchIndex == 0)
        {
            progress = new CycleProgress(batch.Cycle, batch.CycleStartedAt, batch.BatchIndex == 0);
            _cycles[controller] = progress;
        }

        progress.Received++;
        var observations = batch.Observations.IsDefault ? [] : batch.Observations;
        var calls = new List<Task>(observations.Length);
        var seenInBatch = new HashSet<string>(StringComparer.Ordinal);
        foreach (var observation in observations)
        {
            DeviceId deviceId;
            try
            {
                deviceId = DeviceId.ForChassis(_id.Tenant, observation.ChassisId);
            }
            catch (ArgumentException ex)
            {
                logger.LogWarning("Region {RegionId} ignored an observation with an unusable chassis id: {Reason}", _id, ex.Message);
                continue;
            }

            // Two controllers, or one confused driver, can report one chassis twice: one device either way.
            if (!seenInBatch.Add(deviceId.Device))
            {
                continue;
            }

            calls.Add(ObserveAsync(deviceId, controller, progress, observation, _newMembers));
        }

        // The device calls of a batch run on while the stream delivers the next one: a region waiting for each
        // batch to finish left the silo half idle. Their continuations run on this activation, one at a time.
        _inFlight.Add(Task.WhenAll(calls));
        while (_inFlight.Count >= MaxBatchesInFlight || (batch.EndOfCycle && _inFlight.Count > 0))
        {
            await Task.WhenAny(_inFlight);
            _inFlight.RemoveAll(t => t.IsCompleted);
        }

        _inFlight.RemoveAll(t => t.IsCompleted);
        if (_newMembers.Count > 0)
        {
            progress.Changed = true;
            state.State.Members = state.State.Members.SetItems(_newMembers.Select(m => KeyValuePair.Create(m.Device, m.Controller)));
            _newMembers.Clear();
            await CommitAsync([], [], []);
        }

        if (batch.EndOfCycle)
        {
            _cycles.Remove(controller);
            if (progress.SawFirst && progress.Received == batch.BatchIndex + 1)
            {
                await EndCycleAsync(controller, batch.CycleStartedAt, progress.Changed);
            }
            else
            {
                logger.LogWarning("Region {RegionId} received cycle {Cycle} of {Controller} incompletely; missed devices are not counted for it", _id, batch.Cycle, controller);
            }
        }
    }

    private async Task ObserveAsync(DeviceId deviceId, string controller, CycleProgress progress, DeviceObservation observation, List<(string, string)> newMembers)
    {
        var cycleStart = progress.CycleStartedAt;
        try
        {
            var outcome = await GrainFactory.GetGrain<IDeviceGrain>(deviceId.ToString()).ObserveAsync(_id.Region, observation);
            if (outcome.IsNew || outcome.Changed)
            {
                progress.Changed = true;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Device {DeviceId} could not take its observation; it is retried next cycle", deviceId);
            return;
        }

        await PublishTelemetryAsync(deviceId, observation);

        var neighbors = observation.Neighbors.IsDefault
            ? ImmutableArray<Neighbor>.Empty
            : observation.Neighbors.Select(n => new Neighbor(n.LocalInterface, n.RemoteChassisId, n.RemotePort)).ToImmutableArray();
        var speeds = new Dictionary<string, long>(StringComparer.Ordinal);
        HashSet<string>? down = null;
        if (!observation.Interfaces.IsDefault)
        {
            foreach (var i in observation.Interfaces)
            {
                speeds.TryAdd(i.Name, i.SpeedBps);
                if (i.Oper == OperStatus.Down)
                {
                    (down ??= new HashSet<string>(StringComparer.Ordinal)).Add(i.Name);
                }
            }
        }

        _reconciler.Seen(deviceId.Device, controller, cycleStart, neighbors, speeds, down);
        if (!state.State.Members.TryGetValue(deviceId.Device, out var primary) || primary != controller && !state.State.Controllers.Contains(primary))
        {
            newMembers.Add((deviceId.Device, controller));
        }
    }

    // Counters go to the device on its telemetry stream; they are not truth, so a lost reading is only logged.
    private async Task PublishTelemetryAsync(DeviceId deviceId, DeviceObservation observation)
    {
        if (observation.Interfaces.IsDefaultOrEmpty)
        {
            return;
        }

        try
        {
            _telemetryStreams ??= this.GetStreamProvider(PdsnoStreams.TelemetryProvider);
            await _telemetryStreams.GetStream<TelemetryReading>(StreamId.Create(PdsnoStreams.Telemetry, deviceId.ToString()))
                .OnNextAsync(TelemetryReading.Of(observation));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Telemetry of device {DeviceId} could not be sent; the next poll brings new counters", deviceId);
        }
    }

    private async Task EndCycleAsync(string controller, DateTimeOffset cycleStart, bool sawChanges)
    {
        var s = state.State;
        var missed = _reconciler.EndCycle(controller, cycleStart);
        // A device that just went missing, or just became inactive, is a change; one that stays gone is not.
        var statusChanged = missed.Any(m => m.Missed == 1 || m.Missed == s.Policy.MissedCyclesUntilInactive);
        await Task.WhenAll(missed.Select(async m =>
        {
            try
            {
                await GrainFactory.GetGrain<IDeviceGrain>(new DeviceId(_id.Tenant, m.Device).ToString())
                    .MarkMissedAsync(_id.Region, m.Missed, s.Policy.MissedCyclesUntilInactive);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Device {Device} could not record a missed cycle", m.Device);
            }
        }));

        var linksChanged = await ReconcileLinksAsync();
        await AdaptIntervalAsync(sawChanges || statusChanged || linksChanged);
    }

    /// <summary>Reconciles the region's links after a cycle; true when any link was added, went up or went down.</summary>
    private async Task<bool> ReconcileLinksAsync()
    {
        var s = state.State;

        var foreign = new Dictionary<string, ImmutableArray<Neighbor>>(StringComparer.Ordinal);
        foreach (var peer in _reconciler.ForeignPeers(KeyOf))
        {
            try
            {
                foreign[peer] = await GrainFactory.GetGrain<IDeviceGrain>(new DeviceId(_id.Tenant, peer).ToString()).GetNeighborsAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Neighbours of {Device} could not be read; its links keep their state this cycle", peer);
                return false;
            }
        }

        var confirmed = _reconciler.ConfirmedLinks(KeyOf, foreign);
        var (next, changes) = Reconciler.DiffLinks(s.Links, confirmed, DateTimeOffset.UtcNow, _reconciler.Knows);
        if (changes.Count == 0 && next.Count == s.Links.Count && next.All(kv => s.Links.TryGetValue(kv.Key, out var was) && was == kv.Value))
        {
            return false;
        }

        s.Links = next;
        var changed = changes.Select(c => c.Link.Id).ToList();
        await CommitAsync(changes, changed, []);
        return changes.Count > 0;
    }

    /// <summary>
    /// Moves the controllers' interval between the policy's bounds. Only a new interval reaches the controllers
    /// (it re-arms their reminders); the region itself writes nothing for it.
    /// </summary>
    private async Task AdaptIntervalAsync(bool changed)
    {
        var s = state.State;
        var minimum = s.Policy.EffectiveMinimumInterval;
        var maximum = s.Policy.EffectiveMaximumInterval;
        if (minimum == maximum || s.Controllers.IsDefaultOrEmpty)
        {
            return;
        }

        _interval ??= await CurrentIntervalAsync(s.Controllers[0]) ?? s.Policy.DiscoveryInterval;
        var current = _interval.Value;
        var next = _adaptive.Next(current, minimum, maximum, changed);
        if (next == current)
        {
            return;
        }

        try
        {
            foreach (var controller in s.Controllers)
            {
                await GrainFactory.GetGrain<ILocalControllerGrain>(new ControllerId(_id, controller).ToString()).ConfigureAsync(s.Driver, s.Targets, next);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Region {RegionId} could not move its discovery interval from {Current} to {Next}", _id, current, next);
            return;
        }

        _interval = next;
        logger.LogInformation("Region {RegionId} discovery interval {Current} -> {Next} (network changing: {Changed})", _id, current, next, changed);
    }

    private async Task<TimeSpan?> CurrentIntervalAsync(string controller)
    {
        try
        {
            var status = await GrainFactory.GetGrain<ILocalControllerGrain>(new ControllerId(_id, controller).ToString()).GetStatusAsync();
            return status.Interval > TimeSpan.Zero ? status.Interval : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Region {RegionId} could not read the interval of controller {Controller}", _id, controller);
            return null;
        }
    }

    private Task CommitAsync(
        List<(LinkState Link, TopologyChangeKind Kind)> linkChanges,
        List<string> changedLinks,
        List<(TopologyEventType Type, string? Old, string? New)> regionChanges)
    {
        var now = DateTimeOffset.UtcNow;
        var aggregate = "region:" + _id.Region;
        return _outbox.CommitAsync(
            version =>
            {
                var drafts = linkChanges.Select((c, n) => new EventDraft(
                    c.Kind switch { TopologyChangeKind.Added => TopologyEventType.LinkAdded, TopologyChangeKind.Up => TopologyEventType.LinkUp, _ => TopologyEventType.LinkDown },
                    aggregate, version, n, _id.Region, null, null, c.Link.Id,
                    c.Kind == TopologyChangeKind.Added ? null : (c.Kind == TopologyChangeKind.Up ? "DOWN" : "UP"),
                    c.Kind == TopologyChangeKind.Down ? "DOWN" : "UP",
                    now)).ToList();
                drafts.AddRange(regionChanges.Select((c, n) => new EventDraft(c.Type, aggregate, version, drafts.Count + n, _id.Region, null, null, null, c.Old, c.New, now)));
                return drafts;
            },
            s => s.ChangedLinks = s.ChangedLinks.AddRange(changedLinks).Distinct().ToImmutableArray());
    }

    // The region's row and the links changed since the last projection; every link when nothing is known to be written.
    private ProjectionWork ProjectionOf(RegionState s, bool allLinks)
    {
        var links = (allLinks ? s.Links.Values : s.ChangedLinks.Select(id => s.Links.GetValueOrDefault(id)).OfType<LinkState>())
            .Select(l => new LinkRow(l.Id, _id.Region, l.DeviceA, l.InterfaceA, l.DeviceB, l.InterfaceB, l.SpeedBps, ReadModel.Status(l.Status), l.Since, s.Version))
            .ToList();
        return new ProjectionWork(_id.Tenant, s.Outbox, Region: new RegionRow(_id.Region, s.DisplayName, s.Policy.Version, s.Version, s.Deleted), Links: links);
    }

    private string KeyOf(string chassis)
    {
        if (!_deviceKeyOfChassis.TryGetValue(chassis, out var key))
        {
            _deviceKeyOfChassis[chassis] = key = DeviceId.ForChassis(_id.Tenant, chassis).Device;
        }

        return key;
    }

    private sealed class CycleProgress(long cycle, DateTimeOffset cycleStartedAt, bool sawFirst)
    {
        public long Cycle { get; } = cycle;

        public DateTimeOffset CycleStartedAt { get; } = cycleStartedAt;

        // Whether anything in the cycle changed: new devices, devices whose observation changed them.
        public bool Changed { get; set; }

        public bool SawFirst { get; } = sawFirst;

        public int Received { get; set; }
    }
}
