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
using Pdsno.Grains.History;
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
    IConfigDriverRegistry configDrivers,
    IOptions<TelemetryOptions> telemetryOptions,
    IHistoryRecorder history,
    ILogger<DeviceGrain> logger) : Grain, IDeviceGrain
{
    private const int TelemetryCapacity = 8;

    private static readonly TimeSpan MaxApplyTimeout = TimeSpan.FromHours(1);

    private readonly TelemetryWindow _telemetry = new(TelemetryCapacity);

    // Applies interleave with the grain's other calls while the driver works (a hung device must not stall discovery
    // or telemetry); every read-modify-write of the state runs through _writes, one at a time, and applies through
    // _applies, one at a time.
    private readonly TurnGate _writes = new();
    private readonly TurnGate _applies = new();
    private DeviceId _id;
    private Outbox<DeviceState> _outbox = null!;
    private MinuteRollup _minutes = null!;

    // The configs the read model holds for this device (the objects last projected), so a step that leaves them as they
    // are (a lock, an unlock, a status) does not send a core device's whole config twice more; null: send them.
    private (DeviceConfig Intended, DeviceConfig? Observed)? _projectedConfigs;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = DeviceId.Parse(this.GetPrimaryKeyString());
        _minutes = new MinuteRollup(_id.Device);
        _outbox = new Outbox<DeviceState>(this, state, projection, _id.Tenant, $"device {_id}", ProjectionOf, projected: s => s.UnprojectedVersions = [], logger);
        var telemetry = this.GetStreamProvider(PdsnoStreams.TelemetryProvider).GetStream<TelemetryReading>(StreamId.Create(PdsnoStreams.Telemetry, _id.ToString()));
        await telemetry.SubscribeAsync((reading, _) => OnTelemetryAsync(reading));
        if (state.RecordExists && state.State.Identity is not null)
        {
            _outbox.Resume();
        }
    }

    /// <inheritdoc />
    public Task<ObserveOutcome> ObserveAsync(string region, DeviceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return _writes.RunAsync(() => ObserveInTurnAsync(region, observation));
    }

    private async Task<ObserveOutcome> ObserveInTurnAsync(string region, DeviceObservation observation)
    {
        if (observation.Config is not null && state.State.ObservedAt is { } last && observation.ObservedAt < last)
        {
            // Config read before a change's read-back (a cycle that ran while the change applied) is older than what
            // the device is known to run: judging drift on it would announce a drift that is not there.
            observation = observation with { Config = null, ConfigSections = ConfigSections.None };
        }

        var now = DateTimeOffset.UtcNow;
        var current = Truth();
        var (next, changes) = DeviceRules.Observe(current, region, observation, now);
        (next, changes) = ConfigRules.KeepDegraded(current, next, changes, state.State.DegradedReason, now);
        var config = ConfigRules.Observe(ConfigOf(state.State), observation, now);
        changes.AddRange(config.Changes);
        var observedAt = observation.Config is not null && observation.ConfigSections != ConfigSections.None ? observation.ObservedAt : state.State.ObservedAt;

        // An interface that is gone is no longer high; its removal is an event of its own.
        var high = state.State.HighUtilization.Intersect(next.Interfaces.Select(i => i.Name));
        if (changes.Count == 0 && !DeviceRules.Differs(current, next) && high.SetEquals(state.State.HighUtilization) && !config.Persist)
        {
            // When the config was read is shown, not persisted: a steady cycle writes nothing.
            state.State.ObservedAt = observedAt;
            return new ObserveOutcome(false, false, current.Status);
        }

        var interfacesChanged = !current.Interfaces.SequenceEqual(next.Interfaces);
        await CommitAsync(next, changes, interfacesChanged || current.Identity is null, high, s =>
        {
            if (config.NewVersion is not null && s.Intended is null)
            {
                s.IntendedSections = observation.Config is null ? ConfigSections.None : observation.ConfigSections;
            }

            SetConfig(s, config.Next, config.NewVersion);
            s.ObservedAt = observedAt;
        });
        if (interfacesChanged)
        {
            _telemetry.Retain(next.Interfaces.Select(i => i.Name));
            _minutes.Retain(next.Interfaces.Select(i => i.Name));
        }

        return new ObserveOutcome(current.Identity is null, changes.Count > 0, next.Status);
    }

    // Readings come from the region after it delivered the observation they belong to, so the device is known by then.
    private Task<bool> OnTelemetryAsync(TelemetryReading reading)
    {
        _telemetry.Add(reading);
        RecordHistory();
        return _writes.RunAsync(JudgeUtilizationAsync);
    }

    // Finished minutes go to the batch writer; a failure there is the history's loss, never discovery's.
    private void RecordHistory()
    {
        List<HistoryMinute>? closed = null;
        foreach (var (name, at, inBps, outBps, speed) in _telemetry.LatestRates())
        {
            if (_minutes.Add(name, at, inBps, outBps, speed) is { } minute)
            {
                (closed ??= []).Add(minute);
            }
        }

        if (closed is null)
        {
            return;
        }

        try
        {
            history.Record(_id.Tenant, closed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Device {DeviceId}: {Minutes} minutes of interface history were not recorded", _id, closed.Count);
        }
    }

    private async Task<bool> JudgeUtilizationAsync()
    {
        var s = state.State;
        if (s.Identity is null)
        {
            return false;
        }

        var (high, crossings) = UtilizationRule.Evaluate(s.HighUtilization, _telemetry.LatestUtilization(), s.Interfaces.Select(i => i.Name), telemetryOptions.Value);
        if (crossings.Count == 0 && high.SetEquals(s.HighUtilization))
        {
            return false;
        }

        try
        {
            await CommitAsync(Truth(), crossings, withInterfaces: false, high);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing was stored, so the next reading finds the same crossing; the stream must not stall on it.
            logger.LogWarning(ex, "Device {DeviceId} could not record a utilization crossing; the next reading retries it", _id);
            return false;
        }
    }

    /// <inheritdoc />
    public Task<DeviceStatus> MarkMissedAsync(string region, int missedCycles, int inactiveAfter) =>
        _writes.RunAsync(() => MarkMissedInTurnAsync(missedCycles, inactiveAfter));

    private async Task<DeviceStatus> MarkMissedInTurnAsync(int missedCycles, int inactiveAfter)
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
    public Task<DeviceConfigView?> GetConfigAsync()
    {
        var s = state.State;
        if (s.Identity is null || s.Intended is null)
        {
            return Task.FromResult<DeviceConfigView?>(null);
        }

        return Task.FromResult<DeviceConfigView?>(View(s));
    }

    private static DeviceConfigView View(DeviceState s) =>
        new(s.Intended!.Config, s.Intended.Version, s.Observed, s.ObservedAt, s.ObservedSections,
            ConfigRules.Drift(s.Intended.Config, s.Observed, s.ObservedSections), s.LockedBy, s.DegradedReason);

    /// <inheritdoc />
    public Task<string?> LockAsync(string changeId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changeId);
        return _writes.RunAsync(async () =>
        {
            var holder = state.State.LockedBy;
            if (holder == changeId)
            {
                return null;
            }

            if (holder is not null)
            {
                return holder;
            }

            CheckKnown();

            // The change that takes the lock stores its redemption synchronously before any device is touched.
            using (DeferredDurability.Begin())
            {
                await CommitAsync(Truth(), [], withInterfaces: false, state.State.HighUtilization, s => s.LockedBy = changeId);
            }

            return (string?)null;
        });
    }

    /// <inheritdoc />
    public Task UnlockAsync(string changeId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changeId);
        return _writes.RunAsync(async () =>
        {
            if (state.State.LockedBy != changeId)
            {
                return false;
            }

            await CommitAsync(Truth(), [], withInterfaces: false, state.State.HighUtilization, s => s.LockedBy = null);
            return true;
        });
    }

    /// <inheritdoc />
    public Task MarkDegradedAsync(string changeId, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return _writes.RunAsync(async () =>
        {
            var s = state.State;
            CheckKnown();
            if (s.DegradedReason == reason && s.Status == DeviceStatus.Degraded)
            {
                return false;
            }

            var now = DateTimeOffset.UtcNow;
            var current = Truth();
            var changes = new List<DeviceChange>();
            var next = current;
            if (current.Status != DeviceStatus.Degraded)
            {
                changes.Add(new DeviceChange(TopologyEventType.DeviceStatusChanged, null, ReadModel.Status(current.Status), ReadModel.Status(DeviceStatus.Degraded)));
                next = current with { Status = DeviceStatus.Degraded, StatusSince = now };
            }

            changes.Add(new DeviceChange(TopologyEventType.DeviceDegraded, null, s.DegradedReason, reason));
            await CommitAsync(next, changes, withInterfaces: false, s.HighUtilization, x => x.DegradedReason = reason, actor: changeId);
            logger.LogWarning("Device {DeviceId} is DEGRADED by change {ChangeId}: {Reason}", _id, changeId, reason);
            return true;
        });
    }

    /// <inheritdoc />
    public Task<ConfigPreparation> PrepareConfigAsync(TimeSpan timeout) =>
        _applies.RunAsync(async () =>
        {
            var s = state.State;
            if (s.Identity is null || s.Intended is null)
            {
                return new ConfigPreparation(null, null);
            }

            var target = TargetOf(s);
            IConfigDriver driver;
            try
            {
                driver = configDrivers.Resolve(target);
            }
            catch (ConfigDriverException ex)
            {
                return new ConfigPreparation(null, ex.Message);
            }

            var missing = driver.Sections & ~s.IntendedSections;
            if (missing == ConfigSections.None)
            {
                return new ConfigPreparation(View(s), null);
            }

            DeviceConfig read;
            using (var deadline = new CancellationTokenSource(timeout <= TimeSpan.Zero || timeout > MaxApplyTimeout ? MaxApplyTimeout : timeout))
            {
                try
                {
                    read = (await Within(driver.ReadAsync(target, deadline.Token), deadline.Token)).Canonical();
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    return new ConfigPreparation(null, $"the {driver.Name} driver did not read the running config of device {s.Identity.Name} within {timeout}");
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    return new ConfigPreparation(null, $"the {driver.Name} driver could not read the running config of device {s.Identity.Name}: {(ex is ConfigDriverException ? ex.Message : ex.GetType().Name)}");
                }
            }

            return await _writes.RunAsync(async () =>
            {
                var x = state.State;
                var intended = x.Intended!;
                var filled = ConfigRules.Fill(intended.Config, read, missing);
                var newVersion = intended.Config.SameAs(filled) ? null : new ConfigVersion(intended.Version + 1, filled, null, ConfigRules.DiscoveryActor, DateTimeOffset.UtcNow, false);
                var changes = new List<DeviceChange>();
                if (newVersion is not null)
                {
                    changes.Add(new DeviceChange(TopologyEventType.ConfigApplied, null, Invariant(intended.Version), Invariant(newVersion.Version)));
                }

                await CommitAsync(Truth(), changes, withInterfaces: false, x.HighUtilization, y =>
                {
                    SetConfig(y, ConfigOf(y) with { Intended = newVersion ?? intended }, newVersion);
                    y.IntendedSections |= driver.Sections;
                });
                return new ConfigPreparation(View(state.State), null);
            });
        });

    /// <inheritdoc />
    public Task<ConfigApplyOutcome> ApplyConfigAsync(ConfigApplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ChangeId);
        ArgumentNullException.ThrowIfNull(request.Desired);
        return _applies.RunAsync(() => ApplyInOrderAsync(request));
    }

    private async Task<ConfigApplyOutcome> ApplyInOrderAsync(ConfigApplyRequest request)
    {
        var s = state.State;
        var version = s.Intended?.Version ?? 0;
        if (s.Identity is null || s.Intended is null)
        {
            // A device known from before config existed gets its baseline at its next observation.
            return new ConfigApplyOutcome(ConfigApplyStatus.Failed, version, null, s.Identity is null
                ? $"device {_id.Device} was never discovered"
                : $"device {_id.Device} has no config baseline yet; discovery takes it at its next cycle");
        }

        if (s.LockedBy != request.ChangeId)
        {
            if (request.Release && s.ReleasedBy == request.ChangeId)
            {
                // The step was applied and the lock given back; its change asks again after a restart.
                return new ConfigApplyOutcome(ConfigApplyStatus.Applied, s.ReleasedVersion, s.Observed, null);
            }

            return new ConfigApplyOutcome(ConfigApplyStatus.Locked, version, null, s.LockedBy is null
                ? $"device {_id.Device} is not locked by change {request.ChangeId}"
                : $"device {_id.Device} is locked by change {s.LockedBy}");
        }

        if (request.Timeout <= TimeSpan.Zero || request.Timeout > MaxApplyTimeout)
        {
            return new ConfigApplyOutcome(ConfigApplyStatus.Failed, version, null, $"timeout {request.Timeout} must be more than zero and at most {MaxApplyTimeout}");
        }

        var desired = request.Desired.Canonical();
        var target = TargetOf(s);
        var (outcome, readBack, sections) = await DriveAsync(target, desired, request.Timeout);
        if (outcome is not null)
        {
            logger.LogWarning("Device {DeviceId}: change {ChangeId} {Status}: {Message}", _id, request.ChangeId, outcome.Status, outcome.Message);
            return outcome;
        }

        return await _writes.RunAsync(() => RecordAppliedAsync(request, desired, readBack!, sections));
    }

    // Apply then read back, both within the timeout; a driver that ignores the cancellation is left behind, not awaited.
    private async Task<(ConfigApplyOutcome? Failure, DeviceConfig? ReadBack, ConfigSections Sections)> DriveAsync(ConfigTarget target, DeviceConfig desired, TimeSpan timeout)
    {
        var version = state.State.Intended!.Version;
        IConfigDriver driver;
        try
        {
            driver = configDrivers.Resolve(target);
        }
        catch (ConfigDriverException ex)
        {
            return (new ConfigApplyOutcome(ConfigApplyStatus.Failed, version, null, ex.Message), null, ConfigSections.None);
        }

        using var deadline = new CancellationTokenSource(timeout);
        var applied = false;
        try
        {
            await Within(driver.ApplyAsync(target, desired, deadline.Token), deadline.Token);
            applied = true;
            var readBack = (await Within(driver.ReadAsync(target, deadline.Token), deadline.Token)).Canonical();
            var differences = ConfigRules.ReadBackDifferences(desired, readBack, driver.Sections);
            if (differences.Length > 0)
            {
                var paths = string.Join(", ", differences.Take(ConfigRules.MaxDriftPathsInEvent).Select(d => $"{d.Path}: sent {d.Before ?? "nothing"}, read {d.After ?? "nothing"}"));
                return (new ConfigApplyOutcome(ConfigApplyStatus.Mismatch, version, readBack, $"the device reads back a different config: {paths}"), readBack, driver.Sections);
            }

            return (null, readBack, driver.Sections);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var step = applied ? "read back" : "apply";
            return (new ConfigApplyOutcome(ConfigApplyStatus.TimedOut, version, null, $"the {driver.Name} driver did not {step} within {timeout}"), null, ConfigSections.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var step = applied ? "applied the config but could not read it back" : "could not apply the config";
            var why = ex is ConfigDriverException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            return (new ConfigApplyOutcome(ConfigApplyStatus.Failed, version, null, $"the {driver.Name} driver {step}: {why}"), null, ConfigSections.None);
        }
    }

    private static async Task<T> Within<T>(Task<T> work, CancellationToken deadline)
    {
        Observe(work);
        return await work.WaitAsync(deadline);
    }

    private static async Task Within(Task work, CancellationToken deadline)
    {
        Observe(work);
        await work.WaitAsync(deadline);
    }

    // A driver task abandoned at the deadline may fail later; its failure is noted, not left unobserved.
    private static void Observe(Task work) =>
        work.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // A successful step: a new version when the config differs from the intended one (a retry of the same step adds
    // none), DEGRADED ends, and the read-back is what the device runs now.
    private async Task<ConfigApplyOutcome> RecordAppliedAsync(ConfigApplyRequest request, DeviceConfig desired, DeviceConfig readBack, ConfigSections sections)
    {
        var s = state.State;
        var now = DateTimeOffset.UtcNow;
        var intended = s.Intended!;
        var newVersion = intended.Config.SameAs(desired) ? null : new ConfigVersion(intended.Version + 1, desired, request.ChangeId, request.Actor, now, request.Rollback);
        var config = new ConfigTruth(newVersion ?? intended, readBack, sections, s.Drift, s.LockedBy);
        var changes = new List<DeviceChange>();
        if (newVersion is not null)
        {
            changes.Add(new DeviceChange(TopologyEventType.ConfigApplied, null, Invariant(intended.Version), Invariant(newVersion.Version)));
        }

        var drift = ConfigRules.Judge(s.Drift, ConfigRules.Drift(config.Intended!.Config, readBack, sections), changes);
        var current = Truth();
        var next = current;
        if (s.DegradedReason is not null)
        {
            changes.Add(new DeviceChange(TopologyEventType.DeviceDegraded, null, s.DegradedReason, null));
            if (current.Status == DeviceStatus.Degraded)
            {
                changes.Add(new DeviceChange(TopologyEventType.DeviceStatusChanged, null, ReadModel.Status(DeviceStatus.Degraded), ReadModel.Status(DeviceStatus.Active)));
                next = current with { Status = DeviceStatus.Active, StatusSince = now };
            }
        }

        var observedChanged = !readBack.SameAs(s.Observed) || sections != s.ObservedSections;
        if (changes.Count > 0 || observedChanged || request.Release)
        {
            await CommitAsync(next, changes, withInterfaces: false, s.HighUtilization, x =>
            {
                SetConfig(x, config with { Drift = drift }, newVersion);
                x.IntendedSections |= sections;
                x.ObservedAt = now;
                x.DegradedReason = null;
                if (request.Release)
                {
                    // The change's last step: its lock goes with the write that records it.
                    x.LockedBy = null;
                    x.ReleasedBy = request.ChangeId;
                    x.ReleasedVersion = x.Intended!.Version;
                }
            }, request.Actor);
        }
        else
        {
            s.ObservedAt = now;
        }

        return new ConfigApplyOutcome(ConfigApplyStatus.Applied, s.Intended!.Version, readBack, null);
    }

    private ConfigTarget TargetOf(DeviceState s) =>
        new(_id.Tenant, _id.Device, s.Region, s.Identity!.Name, s.Identity.ManagementAddress, [.. s.Interfaces.Select(i => i.Name)]);

    private void CheckKnown()
    {
        if (state.State.Identity is null)
        {
            throw new InvalidOperationException($"device {_id.Device} was never discovered");
        }
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ConfigTruth ConfigOf(DeviceState s) => new(s.Intended, s.Observed, s.ObservedSections, s.Drift, s.LockedBy);

    private static void SetConfig(DeviceState s, ConfigTruth config, ConfigVersion? newVersion)
    {
        s.Intended = config.Intended;
        // A device that runs its intended config shares the object: stored and projected once, not twice.
        s.Observed = config.Observed is { } observed && config.Intended is { } intended && !ReferenceEquals(observed, intended.Config) && observed.SameAs(intended.Config)
            ? intended.Config
            : config.Observed;
        s.ObservedSections = config.Sections;
        s.Drift = config.Drift;
        if (newVersion is not null)
        {
            s.UnprojectedVersions = (s.UnprojectedVersions.IsDefault ? [] : s.UnprojectedVersions).Add(newVersion);
        }
    }

    private DeviceTruth Truth()
    {
        var s = state.State;
        return new DeviceTruth(s.Identity, s.Region, s.Status, s.StatusSince, s.FirstSeen, s.Interfaces, s.Neighbors, ProblemsOf(s));
    }

    // States written before problems were recorded have none.
    private static ImmutableArray<string> ProblemsOf(DeviceState s) => s.Problems.IsDefault ? [] : s.Problems;

    private Task CommitAsync(DeviceTruth next, IReadOnlyList<DeviceChange> changes, bool withInterfaces, ImmutableHashSet<string> highUtilization, Action<DeviceState>? alsoChange = null, string? actor = null)
    {
        var aggregate = "device:" + _id.Device;
        var now = DateTimeOffset.UtcNow;
        return CommitProjectingAsync(_outbox.CommitAsync(
            version => changes.Select((c, n) => new EventDraft(c.Type, aggregate, version, n, next.Region, _id.Device, c.Interface, null, c.OldValue, c.NewValue, now, actor)),
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
                alsoChange?.Invoke(s);
            },
            allRows: withInterfaces));
    }

    // A commit that failed may not have stored the configs its projection carried: the next one sends them again.
    private async Task CommitProjectingAsync(Task commit)
    {
        try
        {
            await commit;
        }
        catch
        {
            _projectedConfigs = null;
            throw;
        }
    }

    // The device's row; its interfaces only when they changed (or after a failure), they are most of the work.
    private ProjectionWork ProjectionOf(DeviceState s, bool withInterfaces)
    {
        var i = s.Identity!;
        var row = new DeviceRow(
            _id.Device, s.Region, i.ChassisId, i.Name, i.Vendor, i.Model, i.OsVersion, i.ManagementAddress, i.Role,
            ReadModel.Status(s.Status), s.StatusSince, s.FirstSeen, s.Version, ProblemsOf(s),
            withInterfaces ? s.Interfaces.Select(ReadModel.Interface).ToList() : null,
            s.Intended is { } intended
                ? new DeviceConfigRow(intended.Config, intended.Version, s.Observed, s.ObservedAt, s.ObservedSections, s.Drift, s.LockedBy, s.DegradedReason, ConfigsChanged(intended.Config, s.Observed, withInterfaces))
                : null);
        var versions = s.UnprojectedVersions.IsDefaultOrEmpty ? null : s.UnprojectedVersions.Select(v => new ConfigVersionRow(_id.Device, v)).ToList();
        return new ProjectionWork(_id.Tenant, s.Outbox, Device: row, ConfigVersions: versions);
    }

    // Whether the configs differ from the ones last projected; a rewrite of every row (a retry, a failure) sends them.
    private bool ConfigsChanged(DeviceConfig intended, DeviceConfig? observed, bool allRows)
    {
        if (!allRows && _projectedConfigs is { } sent && ReferenceEquals(sent.Intended, intended) && ReferenceEquals(sent.Observed, observed))
        {
            return false;
        }

        _projectedConfigs = (intended, observed);
        return true;
    }
}
