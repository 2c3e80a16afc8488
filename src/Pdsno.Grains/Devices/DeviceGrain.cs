using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Grains.Events;
using Pdsno.Storage.Projection;

namespace Pdsno.Grains.Devices;

/// <summary>
/// One device's truth. A change is written to grain state first (with its events in an outbox), then to
/// the event log and read model, then announced; the outbox is replayed on activation, so a crash between
/// the writes loses nothing. An observation that changes nothing persistent writes nothing. Counter readings
/// arrive on the device's telemetry stream and live in a bounded in-memory window; only a utilization
/// crossing is written.
/// </summary>
[GrainType("device")]
[ImplicitStreamSubscription(PdsnoStreams.Telemetry)]
public sealed class DeviceGrain(
    [PersistentState("device", PdsnoStreams.Storage)] IPersistentState<DeviceState> state,
    IProjectionWriter projection,
    IOptions<TelemetryOptions> telemetryOptions,
    ILogger<DeviceGrain> logger) : Grain, IDeviceGrain
{
    private const int TelemetryCapacity = 8;

    private readonly TelemetryWindow _telemetry = new(TelemetryCapacity);
    private DeviceId _id;
    private IAsyncStream<TopologyEvent>? _topology;
    private readonly ProjectionRetry _retry = new();
    private bool _projectionPending;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = DeviceId.Parse(this.GetPrimaryKeyString());
        _topology = TopologyPublisher.StreamFor(this, _id.Tenant);
        var telemetry = this.GetStreamProvider(PdsnoStreams.TelemetryProvider).GetStream<TelemetryReading>(StreamId.Create(PdsnoStreams.Telemetry, _id.ToString()));
        await telemetry.SubscribeAsync((reading, _) => OnTelemetryAsync(reading));
        if (state.RecordExists && state.State.Identity is not null)
        {
            // The previous activation may have died between the state write and the projection.
            _projectionPending = true;
            ScheduleRetry(TimeSpan.Zero);
        }
    }

    /// <inheritdoc />
    public async Task<ObserveOutcome> ObserveAsync(string region, DeviceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var current = Truth();
        var (next, changes) = DeviceRules.Observe(current, region, observation, DateTimeOffset.UtcNow);

        // An interface that is gone is no longer high; its removal is an event of its own.
        var high = state.State.HighUtilization.Intersect(next.Interfaces.Select(i => i.Name));
        if (changes.Count == 0 && !DeviceRules.Differs(current, next) && high.SetEquals(state.State.HighUtilization))
        {
            return new ObserveOutcome(false, false, current.Status);
        }

        var interfacesChanged = !current.Interfaces.SequenceEqual(next.Interfaces);
        await CommitAsync(next, changes, interfacesChanged || current.Identity is null, high);
        if (interfacesChanged)
        {
            _telemetry.Retain(next.Interfaces.Select(i => i.Name));
        }

        return new ObserveOutcome(current.Identity is null, changes.Count > 0, next.Status);
    }

    // Readings come from the region after it delivered the observation they belong to, so the device is known by then.
    private async Task OnTelemetryAsync(TelemetryReading reading)
    {
        _telemetry.Add(reading);
        var s = state.State;
        if (s.Identity is null)
        {
            return;
        }

        var (high, crossings) = UtilizationRule.Evaluate(s.HighUtilization, _telemetry.LatestUtilization(), s.Interfaces.Select(i => i.Name), telemetryOptions.Value);
        if (crossings.Count == 0 && high.SetEquals(s.HighUtilization))
        {
            return;
        }

        try
        {
            await CommitAsync(Truth(), crossings, withInterfaces: false, high);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing was stored, so the next reading finds the same crossing; the stream must not stall on it.
            logger.LogWarning(ex, "Device {DeviceId} could not record a utilization crossing; the next reading retries it", _id);
        }
    }

    /// <inheritdoc />
    public async Task<DeviceStatus> MarkMissedAsync(string region, int missedCycles, int inactiveAfter)
    {
        var current = Truth();
        var (next, change) = DeviceRules.Missed(current, missedCycles, inactiveAfter, DateTimeOffset.UtcNow);
        if (change is not null)
        {
            await CommitAsync(next, [change], withInterfaces: false, state.State.HighUtilization);
        }

        return next.Status;
    }

    /// <inheritdoc />
    public Task<DeviceSnapshot?> GetSnapshotAsync()
    {
        var s = state.State;
        if (s.Identity is null)
        {
            return Task.FromResult<DeviceSnapshot?>(null);
        }

        var i = s.Identity;
        return Task.FromResult<DeviceSnapshot?>(new DeviceSnapshot(
            _id, i.ChassisId, i.Name, i.Vendor, i.Model, i.OsVersion, i.ManagementAddress, i.Role, s.Region, s.Status,
            s.Interfaces, s.Neighbors, s.Version, s.FirstSeen, s.StatusSince, ProblemsOf(s)));
    }

    /// <inheritdoc />
    public Task<ImmutableArray<Neighbor>> GetNeighborsAsync() =>
        Task.FromResult(state.State.Status == DeviceStatus.Active ? state.State.Neighbors : []);

    /// <inheritdoc />
    public Task<ImmutableArray<TelemetrySample>> GetTelemetryAsync() => Task.FromResult(_telemetry.Snapshot());

    private DeviceTruth Truth()
    {
        var s = state.State;
        return new DeviceTruth(s.Identity, s.Region, s.Status, s.StatusSince, s.FirstSeen, s.Interfaces, s.Neighbors, ProblemsOf(s));
    }

    // States written before problems were recorded have none.
    private static ImmutableArray<string> ProblemsOf(DeviceState s) => s.Problems.IsDefault ? [] : s.Problems;

    private async Task CommitAsync(DeviceTruth next, IReadOnlyList<DeviceChange> changes, bool withInterfaces, ImmutableHashSet<string> highUtilization)
    {
        var s = state.State;
        var version = s.Version + 1;
        var aggregate = "device:" + _id.Device;
        var now = DateTimeOffset.UtcNow;
        var drafts = changes.Select((c, n) => new EventDraft(c.Type, aggregate, version, n, next.Region, _id.Device, c.Interface, null, c.OldValue, c.NewValue, now));

        var before = (s.Version, s.Identity, s.Region, s.Status, s.StatusSince, s.FirstSeen, s.Interfaces, s.Neighbors, s.Outbox, s.HighUtilization, s.Problems);
        s.Version = version;
        s.Identity = next.Identity;
        s.Region = next.Region;
        s.Status = next.Status;
        s.StatusSince = next.StatusSince;
        s.FirstSeen = next.FirstSeen;
        s.Interfaces = next.Interfaces;
        s.Neighbors = next.Neighbors;
        s.Outbox = s.Outbox.AddRange(drafts);
        s.HighUtilization = highUtilization;
        s.Problems = next.Problems;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nothing was stored: forget the change so the next observation finds it again.
            (s.Version, s.Identity, s.Region, s.Status, s.StatusSince, s.FirstSeen, s.Interfaces, s.Neighbors, s.Outbox, s.HighUtilization, s.Problems) = before;
            throw;
        }

        _projectionPending = true;
        await ProjectAsync(withInterfaces || _retry.Pending);
    }

    private async Task ProjectAsync(bool withInterfaces)
    {
        var s = state.State;
        var i = s.Identity!;
        var row = new DeviceRow(
            _id.Device, s.Region, i.ChassisId, i.Name, i.Vendor, i.Model, i.OsVersion, i.ManagementAddress, i.Role,
            ReadModel.Status(s.Status), s.StatusSince, s.FirstSeen, s.Version, ProblemsOf(s),
            withInterfaces ? s.Interfaces.Select(ReadModel.Interface).ToList() : null);
        var outbox = s.Outbox;
        try
        {
            var stored = await projection.CommitAsync(new ProjectionWork(_id.Tenant, outbox, Device: row));
            // Cleared in memory only; the next state write carries the empty outbox. A replay before then is harmless.
            if (s.Outbox == outbox)
            {
                s.Outbox = [];
            }

            _projectionPending = false;
            _retry.Stop();
            await TopologyPublisher.PublishAsync(_topology!, stored, logger);
        }
        catch (ProjectionUnavailableException ex)
        {
            logger.LogWarning("Device {DeviceId} version {Version} is stored; its projection waits for the database: {Reason}", _id, s.Version, ex.Message);
            ScheduleRetry(TimeSpan.FromSeconds(2));
        }
    }

    private void ScheduleRetry(TimeSpan dueTime) =>
        _retry.Schedule(this, RetryProjectionAsync, dueTime);

    private Task RetryProjectionAsync()
    {
        if (_projectionPending && state.State.Identity is not null)
        {
            return ProjectAsync(withInterfaces: true);
        }

        _retry.Stop();
        return Task.CompletedTask;
    }
}
