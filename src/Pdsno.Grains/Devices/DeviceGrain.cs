using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Grains.Events;
using Pdsno.Grains.Projection;

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
    private Outbox<DeviceState> _outbox = null!;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = DeviceId.Parse(this.GetPrimaryKeyString());
        _outbox = new Outbox<DeviceState>(this, state, projection, _id.Tenant, $"device {_id}", ProjectionOf, projected: null, logger);
        var telemetry = this.GetStreamProvider(PdsnoStreams.TelemetryProvider).GetStream<TelemetryReading>(StreamId.Create(PdsnoStreams.Telemetry, _id.ToString()));
        await telemetry.SubscribeAsync((reading, _) => OnTelemetryAsync(reading));
        if (state.RecordExists && state.State.Identity is not null)
        {
            _outbox.Resume();
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

    /// <inheritdoc />
    public Task<DeviceConfigView?> GetConfigAsync() => throw new NotSupportedException("device config is not built yet");

    /// <inheritdoc />
    public Task<string?> LockAsync(string changeId) => throw new NotSupportedException("device config is not built yet");

    /// <inheritdoc />
    public Task UnlockAsync(string changeId) => throw new NotSupportedException("device config is not built yet");

    /// <inheritdoc />
    public Task<ConfigApplyOutcome> ApplyConfigAsync(ConfigApplyRequest request) => throw new NotSupportedException("device config is not built yet");

    /// <inheritdoc />
    public Task MarkDegradedAsync(string changeId, string reason) => throw new NotSupportedException("device config is not built yet");

    private DeviceTruth Truth()
    {
        var s = state.State;
        return new DeviceTruth(s.Identity, s.Region, s.Status, s.StatusSince, s.FirstSeen, s.Interfaces, s.Neighbors, ProblemsOf(s));
    }

    // States written before problems were recorded have none.
    private static ImmutableArray<string> ProblemsOf(DeviceState s) => s.Problems.IsDefault ? [] : s.Problems;

    private Task CommitAsync(DeviceTruth next, IReadOnlyList<DeviceChange> changes, bool withInterfaces, ImmutableHashSet<string> highUtilization)
    {
        var aggregate = "device:" + _id.Device;
        var now = DateTimeOffset.UtcNow;
        return _outbox.CommitAsync(
            version => changes.Select((c, n) => new EventDraft(c.Type, aggregate, version, n, next.Region, _id.Device, c.Interface, null, c.OldValue, c.NewValue, now)),
            s =>
            {
                s.Identity = next.Identity;
                s.Region = next.Region;
                s.Status = next.Status;
                s.StatusSince = next.StatusSince;
                s.FirstSeen = next.FirstSeen;
                s.Interfaces = next.Interfaces;
                s.Neighbors = next.Neighbors;
                s.HighUtilization = highUtilization;
                s.Problems = next.Problems;
            },
            allRows: withInterfaces);
    }

    // The device's row; its interfaces only when they changed (or after a failure), they are most of the work.
    private ProjectionWork ProjectionOf(DeviceState s, bool withInterfaces)
    {
        var i = s.Identity!;
        var row = new DeviceRow(
            _id.Device, s.Region, i.ChassisId, i.Name, i.Vendor, i.Model, i.OsVersion, i.ManagementAddress, i.Role,
            ReadModel.Status(s.Status), s.StatusSince, s.FirstSeen, s.Version, ProblemsOf(s),
            withInterfaces ? s.Interfaces.Select(ReadModel.Interface).ToList() : null);
        return new ProjectionWork(_id.Tenant, s.Outbox, Device: row);
    }
}
