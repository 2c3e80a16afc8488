using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.GrainTests.Infrastructure;

namespace Pdsno.GrainTests;

/// <summary>A device's config in its grain: baseline, lock, apply with read-back through the simulated driver, faults, degradation, drift and history.</summary>
[Collection(ClusterGroup.Name)]
public sealed class DeviceConfigTests(ClusterFixture cluster)
{
    private const string Region = "north";
    private const string Name = "core-1";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly string _tenant = Callers.NewTenant();

    private string DeviceKey => _tenant + "/dev1";

    private IChangeProbeGrain Probe => cluster.Client.GetGrain<IChangeProbeGrain>("probe-" + _tenant);

    [Fact]
    public async Task The_first_observation_sets_the_baseline_from_what_discovery_saw()
    {
        await Probe.ObserveAsync(DeviceKey, Region, Router(adminDownEth1: true));

        var view = await Probe.GetConfigAsync(DeviceKey);
        Assert.NotNull(view);
        Assert.Equal(1, view.Version);
        Assert.Equal(Name, view.Intended.Hostname);
        Assert.Equal([("eth0", true, 1500), ("eth1", false, 1500)], view.Intended.Interfaces.Select(i => (i.Name, i.Enabled, i.Mtu)));
        Assert.Empty(view.Intended.Routes);
        Assert.Null(view.Observed);
        Assert.Empty(view.Drift);
        var history = await WaitForHistory(1);
        Assert.Equal("discovery", history[0].Actor);
        Assert.Null(history[0].ChangeId);
        Assert.Equal(1, cluster.Projection.Device(_tenant, "dev1")!.Config!.Version);
    }

    [Fact]
    public async Task The_lock_is_held_by_one_change_at_a_time()
    {
        await Known();

        Assert.Null(await Probe.LockAsync(DeviceKey, "change-a"));
        Assert.Null(await Probe.LockAsync(DeviceKey, "change-a"));
        Assert.Equal("change-a", await Probe.LockAsync(DeviceKey, "change-b"));
        await Probe.UnlockAsync(DeviceKey, "change-b");
        Assert.Equal("change-a", (await Probe.GetConfigAsync(DeviceKey))!.LockedBy);

        var refused = await Probe.ApplyAsync(DeviceKey, Request("change-b", await Desired(d => d with { Location = "lab" })));
        Assert.Equal(ConfigApplyStatus.Locked, refused.Status);
        Assert.Contains("change-a", refused.Message, StringComparison.Ordinal);

        await Probe.UnlockAsync(DeviceKey, "change-a");
        Assert.Null(await Probe.LockAsync(DeviceKey, "change-b"));
        Assert.Equal("change-b", cluster.Projection.Device(_tenant, "dev1")!.Config!.LockedBy);
    }

    [Fact]
    public async Task An_apply_without_the_lock_is_refused_and_changes_nothing()
    {
        await Known();

        var outcome = await Probe.ApplyAsync(DeviceKey, Request("change-x", await Desired(d => d with { Location = "lab" })));

        Assert.Equal(ConfigApplyStatus.Locked, outcome.Status);
        Assert.Equal(1, outcome.Version);
        Assert.Null((await SimDevice()).Running);
    }

    [Fact]
    public async Task An_apply_is_read_back_recorded_as_a_new_version_and_a_retry_adds_none()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        var desired = await Desired(d => d with
        {
            Location = "rack 4",
            Interfaces = [d.Interfaces[0], d.Interfaces[1] with { Enabled = false, Mtu = 9000, Description = "to edge" }],
            Routes = [new StaticRoute("10.0.0.0/8", "192.0.2.254", "eth0", 10)],
        });

        var outcome = await Probe.ApplyAsync(DeviceKey, Request("change-1", desired));
        var retry = await Probe.ApplyAsync(DeviceKey, Request("change-1", desired));

        Assert.Equal(ConfigApplyStatus.Applied, outcome.Status);
        Assert.Equal(2, outcome.Version);
        Assert.True(desired.SameAs(outcome.ReadBack));
        Assert.Equal(ConfigApplyStatus.Applied, retry.Status);
        Assert.Equal(2, retry.Version);
        Assert.True(desired.SameAs((await SimDevice()).Running));
        var view = (await Probe.GetConfigAsync(DeviceKey))!;
        Assert.True(desired.SameAs(view.Intended));
        Assert.Equal(ConfigSections.All, view.Sections);
        var history = await WaitForHistory(2);
        Assert.Equal(("change-1", "alice", false), (history[1].ChangeId, history[1].Actor, history[1].Rollback));
        var applied = await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.ConfigApplied);
        Assert.Equal(("1", "2", "alice"), (applied.OldValue, applied.NewValue, applied.Actor));
        Assert.Single(cluster.Projection.Events(_tenant), e => e.Type == TopologyEventType.ConfigApplied);
    }

    [Fact]
    public async Task A_last_step_gives_the_lock_back_with_its_apply_and_asked_again_answers_applied()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        var desired = await Desired(d => d with { Location = "rack 5" });

        var outcome = await Probe.ApplyAsync(DeviceKey, Request("change-1", desired) with { Release = true });
        Assert.Equal((ConfigApplyStatus.Applied, 2L), (outcome.Status, outcome.Version));
        Assert.Null((await Probe.GetConfigAsync(DeviceKey))!.LockedBy);

        // Its change died before storing the result and asks again: applied, not refused, and no new version.
        var again = await Probe.ApplyAsync(DeviceKey, Request("change-1", desired) with { Release = true });
        Assert.Equal((ConfigApplyStatus.Applied, 2L), (again.Status, again.Version));

        // Another change, or the same one asking for more than its last step, holds no lock.
        Assert.Equal(ConfigApplyStatus.Locked, (await Probe.ApplyAsync(DeviceKey, Request("change-2", desired) with { Release = true })).Status);
        Assert.Equal(ConfigApplyStatus.Locked, (await Probe.ApplyAsync(DeviceKey, Request("change-1", desired))).Status);
        Assert.Null(await Probe.LockAsync(DeviceKey, "change-2"));
    }

    [Fact]
    public async Task A_device_that_refuses_fails_the_step_and_keeps_its_version()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        await SetFaults(new SimulatedConfigFaults(ApplyFails: true));

        var outcome = await Probe.ApplyAsync(DeviceKey, Request("change-1", await Desired(d => d with { Contact = "noc" })));

        Assert.Equal(ConfigApplyStatus.Failed, outcome.Status);
        Assert.Equal(1, outcome.Version);
        Assert.Contains("refused", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Probe.GetConfigAsync(DeviceKey))!.Version);
    }

    [Fact]
    public async Task A_read_back_that_differs_is_a_mismatch_with_what_the_device_reports()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        await SetFaults(new SimulatedConfigFaults(ReadBackMismatch: true));

        var outcome = await Probe.ApplyAsync(DeviceKey, Request("change-1", await Desired(d => d with { Contact = "noc" })));

        Assert.Equal(ConfigApplyStatus.Mismatch, outcome.Status);
        Assert.Equal(1, outcome.Version);
        Assert.Equal(SimulatedConfigFaults.MismatchContact("noc"), outcome.ReadBack!.Contact);
        Assert.Contains("contact", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_device_is_cut_off_at_the_timeout_and_the_grain_answers_meanwhile()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        await SetFaults(new SimulatedConfigFaults(Hang: true));

        // The apply's timeout leaves room for both reads below on a loaded machine, so it is still hanging after them.
        var apply = Probe.ApplyAsync(DeviceKey, Request("change-1", await Desired(d => d with { Contact = "noc" }), TimeSpan.FromSeconds(8)));
        // While the driver hangs, the device still answers and still takes observations.
        var view = await Probe.GetConfigAsync(DeviceKey).WaitAsync(TimeSpan.FromSeconds(3));
        await Probe.ObserveAsync(DeviceKey, Region, Router()).WaitAsync(TimeSpan.FromSeconds(3));
        Assert.False(apply.IsCompleted);
        var outcome = await apply.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("change-1", view!.LockedBy);
        Assert.Equal(ConfigApplyStatus.TimedOut, outcome.Status);
        Assert.Equal(1, outcome.Version);
        Assert.Null((await SimDevice()).Running);
    }

    [Fact]
    public async Task A_delay_slows_the_apply_down_and_a_timeout_shorter_than_it_cuts_it_off()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        await SetFaults(new SimulatedConfigFaults(DelayMs: 1500));

        var cut = await Probe.ApplyAsync(DeviceKey, Request("change-1", await Desired(d => d with { Contact = "noc" }), TimeSpan.FromMilliseconds(300)));
        var slow = await Probe.ApplyAsync(DeviceKey, Request("change-1", await Desired(d => d with { Contact = "noc" })));

        Assert.Equal(ConfigApplyStatus.TimedOut, cut.Status);
        Assert.Equal(ConfigApplyStatus.Applied, slow.Status);
        Assert.Equal(2, slow.Version);
    }

    [Fact]
    public async Task A_rollback_to_the_config_before_the_last_apply_fails_when_the_device_refuses_it()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        var before = (await Probe.GetConfigAsync(DeviceKey))!.Intended;
        Assert.Equal(ConfigApplyStatus.Applied, (await Probe.ApplyAsync(DeviceKey, Request("change-1", before with { Contact = "noc" }))).Status);
        await SetFaults(new SimulatedConfigFaults(RollbackFails: true));

        var rollback = await Probe.ApplyAsync(DeviceKey, Request("change-1", before, rollback: true));
        var other = await Probe.ApplyAsync(DeviceKey, Request("change-1", before with { Contact = "soc" }));

        Assert.Equal(ConfigApplyStatus.Failed, rollback.Status);
        Assert.Contains("previous configuration", rollback.Message, StringComparison.Ordinal);
        Assert.Equal(ConfigApplyStatus.Applied, other.Status);
    }

    [Fact]
    public async Task A_rollback_is_recorded_as_a_version_flagged_rollback()
    {
        await Known();
        await Probe.LockAsync(DeviceKey, "change-1");
        var before = (await Probe.GetConfigAsync(DeviceKey))!.Intended;
        await Probe.ApplyAsync(DeviceKey, Request("change-1", before with { Contact = "noc" }));

        var rollback = await Probe.ApplyAsync(DeviceKey, Request("change-1", before, rollback: true));

        Assert.Equal(3, rollback.Version);
        var history = await WaitForHistory(3);
        Assert.True(history[2].Rollback);
        Assert.True(before.SameAs(history[2].Config));
    }

    [Fact]
    public async Task A_degraded_device_stays_degraded_through_discovery_until_an_apply_succeeds()
    {
        await Known();
        await Probe.MarkDegradedAsync(DeviceKey, "change-9", "rollback of change-9 failed: refused");
        await Probe.ObserveAsync(DeviceKey, Region, Router());

        var degraded = await Snapshot();
        Assert.Equal(DeviceStatus.Degraded, degraded.Status);
        Assert.Equal("rollback of change-9 failed: refused", (await Probe.GetConfigAsync(DeviceKey))!.DegradedReason);
        var marked = await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.DeviceDegraded);
        Assert.Equal("rollback of change-9 failed: refused", marked.NewValue);
        Assert.Equal("DEGRADED", cluster.Projection.Device(_tenant, "dev1")!.Status);

        await Probe.LockAsync(DeviceKey, "change-10");
        var restored = await Probe.ApplyAsync(DeviceKey, Request("change-10", await Desired(d => d)));

        Assert.Equal(ConfigApplyStatus.Applied, restored.Status);
        Assert.Equal(DeviceStatus.Active, (await Snapshot()).Status);
        Assert.Null((await Probe.GetConfigAsync(DeviceKey))!.DegradedReason);
        await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.DeviceDegraded && e.NewValue is null);
        var transitions = cluster.Projection.Events(_tenant)
            .Where(e => e.Type == TopologyEventType.DeviceStatusChanged)
            .Select(e => $"{e.OldValue}->{e.NewValue}");
        Assert.Equal(["ACTIVE->DEGRADED", "DEGRADED->ACTIVE"], transitions);
    }

    [Fact]
    public async Task Drift_is_announced_once_when_it_appears_and_once_when_it_clears()
    {
        var intended = await Known(withConfig: true);
        var drifted = intended with { Interfaces = [intended.Interfaces[0] with { Enabled = false }, intended.Interfaces[1]] };

        await Probe.ObserveAsync(DeviceKey, Region, Router(drifted));
        await Probe.ObserveAsync(DeviceKey, Region, Router(drifted));
        var view = (await Probe.GetConfigAsync(DeviceKey))!;
        await Probe.ObserveAsync(DeviceKey, Region, Router(intended));
        await Probe.ObserveAsync(DeviceKey, Region, Router(intended));

        Assert.Equal(["interfaces[eth0].enabled"], view.Drift.Select(d => d.Path));
        await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.ConfigDriftCleared);
        var events = cluster.Projection.Events(_tenant).Where(e => e.Type is TopologyEventType.ConfigDrift or TopologyEventType.ConfigDriftCleared).ToList();
        Assert.Equal([TopologyEventType.ConfigDrift, TopologyEventType.ConfigDriftCleared], events.Select(e => e.Type));
        Assert.Equal("interfaces[eth0].enabled", events[0].NewValue);
        Assert.Empty((await Probe.GetConfigAsync(DeviceKey))!.Drift);
    }

    [Fact]
    public async Task Config_read_before_a_changes_read_back_is_not_judged_as_drift()
    {
        await Known(withConfig: true);
        var before = Router((await Probe.GetConfigAsync(DeviceKey))!.Intended);
        await Probe.LockAsync(DeviceKey, "change-1");
        var desired = await Desired(d => d with { Location = "rack 7" });
        Assert.Equal(ConfigApplyStatus.Applied, (await Probe.ApplyAsync(DeviceKey, Request("change-1", desired) with { Release = true })).Status);

        // A discovery cycle that read the device before the apply reports after it.
        await Probe.ObserveAsync(DeviceKey, Region, before);
        Assert.Empty((await Probe.GetConfigAsync(DeviceKey))!.Drift);
        await Probe.ObserveAsync(DeviceKey, Region, Router(desired with { Location = "closet" }));
        Assert.Equal(["location"], (await Probe.GetConfigAsync(DeviceKey))!.Drift.Select(d => d.Path));
    }

    [Fact]
    public async Task No_drift_is_judged_while_a_change_holds_the_lock()
    {
        var intended = await Known(withConfig: true);
        await Probe.LockAsync(DeviceKey, "change-1");

        await Probe.ObserveAsync(DeviceKey, Region, Router(intended with { Location = "elsewhere" }));
        await Probe.UnlockAsync(DeviceKey, "change-1");
        await Probe.ObserveAsync(DeviceKey, Region, Router(intended));

        Assert.DoesNotContain(cluster.Projection.Events(_tenant), e => e.Type is TopologyEventType.ConfigDrift or TopologyEventType.ConfigDriftCleared);
    }

    [Fact]
    public async Task Devices_configured_at_once_are_all_listed_for_discovery_and_only_they()
    {
        var names = Enumerable.Range(0, 50).Select(i => $"edge-{i}").Append("imported/with-slash").ToList();
        var op = Callers.Of(_tenant, Roles.Operator);

        await Task.WhenAll(names.Select(n => op.AsAsync(() =>
            cluster.Client.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(_tenant, Region, n)).SetRunningAsync(SimulatedConfigDefaults.For(n, ["eth0"]) with { Location = "lab" }))));
        await op.AsAsync(() => cluster.Client.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(_tenant, "south", "other")).SetFaultsAsync(new SimulatedConfigFaults(Hang: true)));

        Assert.Equal(names.Order(StringComparer.Ordinal), (await Probe.ConfiguredAsync($"{_tenant}/{Region}")).Order(StringComparer.Ordinal));
        Assert.Empty(await Probe.ConfiguredAsync($"{_tenant}/south"));
    }

    private async Task<DeviceConfig> Known(bool withConfig = false)
    {
        var baseline = SimulatedConfigDefaults.For(Name, ["eth0", "eth1"]);
        await Probe.ObserveAsync(DeviceKey, Region, withConfig ? Router(baseline) : Router());
        return baseline;
    }

    private async Task<DeviceConfig> Desired(Func<DeviceConfig, DeviceConfig> change) =>
        change((await Probe.GetConfigAsync(DeviceKey))!.Intended);

    private static ConfigApplyRequest Request(string changeId, DeviceConfig desired, TimeSpan? timeout = null, bool rollback = false) =>
        new(changeId, desired, rollback, "alice", timeout ?? Timeout);

    private Task<SimulatedDeviceConfig> SimDevice() =>
        Callers.Of(_tenant, Roles.Viewer).AsAsync(() => cluster.Client.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(_tenant, Region, Name)).GetAsync());

    private Task<SimulatedDeviceConfig> SetFaults(SimulatedConfigFaults faults) =>
        Callers.Of(_tenant, Roles.Operator).AsAsync(() => cluster.Client.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(_tenant, Region, Name)).SetFaultsAsync(faults));

    private async Task<DeviceSnapshot> Snapshot() =>
        await Callers.Of(_tenant, Roles.Viewer).AsAsync(() => cluster.Client.GetGrain<IDeviceGrain>(DeviceKey).GetSnapshotAsync())
        ?? throw new InvalidOperationException("device not known");

    private async Task<IReadOnlyList<ConfigVersion>> WaitForHistory(int count)
    {
        var deadline = DateTime.UtcNow + ClusterFixture.Patience;
        while (true)
        {
            var history = cluster.Projection.ConfigVersions(_tenant, "dev1");
            if (history.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, history.Count);
                return history;
            }

            await Task.Delay(20);
        }
    }

    private static DeviceObservation Router(DeviceConfig? config = null, bool adminDownEth1 = false) => new(
        "aa:00:00:00:0c:01", Name, "acme", "r1", "1.0", "192.0.2.1", "router",
        [
            new InterfaceObservation(1, "eth0", "aa:00:00:00:10:01", 1_000_000_000, AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
            new InterfaceObservation(2, "eth1", "aa:00:00:00:10:02", 1_000_000_000, adminDownEth1 ? AdminStatus.Down : AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
        ],
        ImmutableArray<NeighborObservation>.Empty,
        DateTimeOffset.UtcNow,
        Config: config,
        ConfigSections: config is null ? ConfigSections.None : ConfigSections.All);
}
