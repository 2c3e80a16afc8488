using System.Collections.Immutable;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.Grains.Changes;
using Pdsno.GrainTests.Infrastructure;

namespace Pdsno.GrainTests;

/// <summary>The change grain's state machine on real device grains and the simulated config driver.</summary>
[Collection(ClusterGroup.Name)]
public sealed class ChangeGrainTests(ClusterFixture cluster)
{
    private const string Region = "north";

    private readonly string _tenant = Callers.NewTenant();
    private Caller? _operator;
    private Caller? _approver;
    private Caller? _global;

    private Caller Operator => _operator ??= Callers.Of(_tenant, Roles.Operator);

    private Caller RegionApprover => _approver ??= Callers.Of(_tenant, Roles.RegionApprover, Region);

    private Caller GlobalApprover => _global ??= Callers.Of(_tenant, Roles.GlobalApprover);

    private IChangeProbeGrain Probe => cluster.Client.GetGrain<IChangeProbeGrain>("probe-" + _tenant);

    [Fact]
    public async Task A_low_change_is_approved_at_once_applied_read_back_and_its_token_is_spent()
    {
        await Device("d1");

        var proposed = await Propose("c1", Operator, ("d1", new ConfigPatch(Location: "rack 7")));
        var change = Ok(proposed);
        Assert.Equal(ChangeStatus.Approved, change.Status);
        Assert.Equal(Sensitivity.Low, change.Sensitivity);
        Assert.Equal("location", Assert.Single(change.Targets[0].Diff).Path);
        Assert.Contains("+location rack 7", change.Targets[0].UnifiedDiff, StringComparison.Ordinal);
        Assert.NotNull(change.Token);

        var done = Ok(await Operator.AsAsync(() => Change("c1").ExecuteAsync()));
        Assert.Equal(ChangeStatus.Applied, done.Status);
        Assert.Equal("APPLIED", done.Targets[0].Result?.Status);
        Assert.Equal("rack 7", (await Probe.GetConfigAsync(Key("d1")))!.Intended.Location);
        Assert.Null((await Probe.GetConfigAsync(Key("d1")))!.LockedBy);

        var again = await Operator.AsAsync(() => Change("c1").ExecuteAsync());
        Assert.Equal(ChangeRefusalCode.TokenSpent, Refusal(again).Code);
        await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.ChangeCompleted);
        var types = cluster.Projection.Events(_tenant).Where(e => e.Type.ToString().StartsWith("Change", StringComparison.Ordinal)).Select(e => $"{e.Type}:{e.NewValue}");
        Assert.Equal(["ChangeProposed:PENDING_APPROVAL", "ChangeApproved:APPROVED", "ChangeExecuting:EXECUTING", "ChangeCompleted:APPLIED"], types);
    }

    [Fact]
    public async Task Execute_on_proposal_runs_a_change_approved_at_once_and_only_proposes_one_that_needs_approvers()
    {
        await Device("d1");
        await Device("d2");

        var done = Ok(await Operator.AsAsync(() => Change("c1").ProposeAsync(new ChangeProposal("title", null, [new ChangeTargetInput("d1", new ConfigPatch(Location: "rack 9"))], Execute: true))));
        Assert.Equal(ChangeStatus.Applied, done.Status);
        Assert.Equal("APPLIED", done.Targets[0].Result?.Status);
        Assert.Equal("rack 9", (await Probe.GetConfigAsync(Key("d1")))!.Intended.Location);

        var medium = Ok(await Operator.AsAsync(() => Change("c2").ProposeAsync(new ChangeProposal("title", null, [new ChangeTargetInput("d1", new ConfigPatch(Hostname: "edge-9"))], Execute: true))));
        Assert.Equal(ChangeStatus.PendingApproval, medium.Status);

        // A refused execution still answers the change it proposed.
        await Probe.LockAsync(Key("d2"), "other-change");
        var locked = await Operator.AsAsync(() => Change("c3").ProposeAsync(new ChangeProposal("title", null, [new ChangeTargetInput("d2", new ConfigPatch(Contact: "x"))], Execute: true)));
        Assert.Equal(ChangeStatus.Approved, locked.Change?.Status);
        Assert.Equal(ChangeRefusalCode.DeviceLocked, Assert.Single(locked.Refusals).Code);
    }

    [Fact]
    public async Task A_lock_left_by_a_change_that_never_stored_its_redemption_is_given_back_when_the_sweep_resumes_it()
    {
        await Device("d1");
        await Probe.LockAsync(Key("d1"), "ch-lost");

        // A change that is not executing only gives back the lock it is told of, and only its own.
        await Probe.ResumeAsync($"{_tenant}/ch-other", "d1");
        Assert.Equal("ch-lost", (await Probe.GetConfigAsync(Key("d1")))!.LockedBy);
        await Probe.ResumeAsync($"{_tenant}/ch-lost", "d1");
        Assert.Null((await Probe.GetConfigAsync(Key("d1")))!.LockedBy);

        // The device is free again for the next change.
        var done = Ok(await Operator.AsAsync(() => Change("c1").ProposeAsync(new ChangeProposal("title", null, [new ChangeTargetInput("d1", new ConfigPatch(Location: "rack 2"))], Execute: true))));
        Assert.Equal(ChangeStatus.Applied, done.Status);
        Assert.Null((await Probe.GetConfigAsync(Key("d1")))!.LockedBy);
    }

    [Fact]
    public async Task An_invalid_proposal_stores_nothing_and_names_the_field()
    {
        await Device("d1");

        var refused = await Propose("c1", Operator, ("d1", new ConfigPatch(Interfaces: [new InterfacePatch("eth9", Enabled: false)])), ("nope", new ConfigPatch(Location: "x")));

        Assert.Equal(2, refused.Refusals.Length);
        Assert.Equal($"targets[0].patch.interfaces[eth9]: no interface eth9 on device {Region}/d1", refused.Refusals[0].Message);
        Assert.Equal(ChangeRefusalCode.NotFound, refused.Refusals[1].Code);
        Assert.Null(await Operator.AsAsync(() => Change("c1").GetAsync()));
        Assert.Equal(ChangeStatus.Approved, Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Location: "x")))).Status);
    }

    [Fact]
    public async Task A_medium_change_needs_a_region_approver_who_is_not_its_proposer_and_not_merely_admin()
    {
        await Device("d1");
        var both = Callers.Of(_tenant, Roles.Operator | Roles.RegionApprover);
        var change = Ok(await Propose("c1", both, ("d1", new ConfigPatch(Interfaces: [new InterfacePatch("eth0", Mtu: 9000)]))));
        Assert.Equal(Sensitivity.Medium, change.Sensitivity);
        Assert.Equal(ChangeStatus.PendingApproval, change.Status);

        Assert.Equal(ChangeRefusalCode.NotApproved, Refusal(await Operator.AsAsync(() => Change("c1").ExecuteAsync())).Code);
        Assert.Equal(ChangeRefusalCode.Forbidden, Refusal(await both.AsAsync(() => Change("c1").ApproveAsync("mine"))).Code);
        Assert.Equal(ChangeRefusalCode.Forbidden, Refusal(await Callers.Of(_tenant, Roles.Admin).AsAsync(() => Change("c1").ApproveAsync("admin"))).Code);
        Assert.Equal(ChangeRefusalCode.NotFound, Refusal(await Callers.Of(_tenant, Roles.RegionApprover, "south").AsAsync(() => Change("c1").ApproveAsync("not mine"))).Code);

        var approved = Ok(await RegionApprover.AsAsync(() => Change("c1").ApproveAsync("looks right")));
        Assert.Equal(ChangeStatus.Approved, approved.Status);
        Assert.Equal("looks right", Assert.Single(approved.Approvals).Comment);
        Assert.Equal(ChangeStatus.Applied, Ok(await Operator.AsAsync(() => Change("c1").ExecuteAsync())).Status);
        Assert.Equal(9000, (await Probe.GetConfigAsync(Key("d1")))!.Intended.Interface("eth0")!.Mtu);
    }

    [Fact]
    public async Task Editing_withdraws_the_approvals_and_the_old_token_is_refused_as_edited_after_approval()
    {
        await Device("d1");
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Hostname: "edge-1"))));
        Ok(await RegionApprover.AsAsync(() => Change("c1").ApproveAsync(null)));

        var edited = Ok(await Operator.AsAsync(() => Change("c1").UpdateAsync(new ChangeProposal("t2", null, [new ChangeTargetInput("d1", new ConfigPatch(Hostname: "edge-2"))]))));

        Assert.Equal(ChangeStatus.PendingApproval, edited.Status);
        Assert.Empty(edited.Approvals);
        Assert.Null(edited.Token);
        Assert.Equal(ChangeRefusalCode.EditedAfterApproval, Refusal(await Operator.AsAsync(() => Change("c1").ExecuteAsync())).Code);
        Assert.Equal(ChangeStatus.Approved, Ok(await RegionApprover.AsAsync(() => Change("c1").ApproveAsync("again"))).Status);
    }

    [Fact]
    public async Task A_change_shows_the_hashes_of_its_configs_and_executes_the_configs_of_its_latest_edit()
    {
        await Device("d1");
        await Device("d2");
        var before = (await Probe.GetConfigAsync(Key("d1")))!.Intended;
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Contact: "first")), ("d2", new ConfigPatch(Contact: "first"))));

        var edited = Ok(await Operator.AsAsync(() => Change("c1").UpdateAsync(new ChangeProposal(
            "t2", null, [new ChangeTargetInput("d1", new ConfigPatch(Contact: "second")), new ChangeTargetInput("d2", new ConfigPatch(Contact: "second"))]))));

        // The whole configs are kept with the plan; the change names them by hash.
        Assert.All(edited.Targets, t => Assert.True(t.Before is null && t.After is null));
        Assert.Equal(before.Hash(), edited.Targets[0].BeforeHash);
        Assert.Equal((before with { Contact = "second" }).Hash(), edited.Targets[0].AfterHash);
        Assert.Equal(ChangeStatus.Approved, edited.Status);

        var done = Ok(await Operator.AsAsync(() => Change("c1").ExecuteAsync()));

        Assert.Equal(ChangeStatus.Applied, done.Status);
        Assert.All(["d1", "d2"], d => Assert.Equal("second", Probe.GetConfigAsync(Key(d)).Result!.Intended.Contact));
    }

    [Fact]
    public async Task A_failing_third_target_rolls_the_first_two_back_in_reverse_and_they_read_back_as_before()
    {
        await Device("d1");
        await Device("d2");
        await Device("d3");
        var before1 = (await Probe.GetConfigAsync(Key("d1")))!.Intended;
        var before2 = (await Probe.GetConfigAsync(Key("d2")))!.Intended;
        await Faults("d3", new SimulatedConfigFaults(ApplyFails: true));
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Contact: "a")), ("d2", new ConfigPatch(Contact: "b")), ("d3", new ConfigPatch(Contact: "c"))));

        var failed = Ok(await Operator.AsAsync(() => Change("c1").ExecuteAsync()));

        Assert.Equal(ChangeStatus.FailedRolledBack, failed.Status);
        Assert.Contains($"{Region}/d3: FAILED", failed.Failure, StringComparison.Ordinal);
        Assert.Equal(["APPLIED", "APPLIED", "FAILED"], failed.Targets.Select(t => t.Result?.Status));
        Assert.Equal(["APPLIED", "APPLIED", null], failed.Targets.Select(t => t.Rollback?.Status));
        Assert.True(before1.SameAs((await Probe.GetConfigAsync(Key("d1")))!.Intended));
        Assert.True(before2.SameAs((await Probe.GetConfigAsync(Key("d2")))!.Intended));
        Assert.Equal(before2.Contact, (await SimDevice("d2")).Running?.Contact ?? before2.Contact);
        Assert.True(failed.Targets[1].Rollback!.At <= failed.Targets[0].Rollback!.At);
        Assert.All(["d1", "d2", "d3"], d => Assert.Null(Probe.GetConfigAsync(Key(d)).Result!.LockedBy));
    }

    [Fact]
    public async Task Targets_applied_in_waves_stop_at_the_wave_that_fails_and_every_applied_target_is_restored()
    {
        await Callers.Of(_tenant, Roles.Admin).AsAsync(() => cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant).SetChangePolicyAsync(Abstractions.Policy.ChangePolicy.Default with { ParallelTargets = 2 }));
        string[] names = ["d1", "d2", "d3", "d4", "d5"];
        foreach (var name in names)
        {
            await Device(name);
        }

        var before = await Task.WhenAll(names.Select(async n => (await Probe.GetConfigAsync(Key(n)))!.Intended));
        await Faults("d4", new SimulatedConfigFaults(ApplyFails: true));
        Ok(await Propose("c1", Operator, [.. names.Select(n => (n, new ConfigPatch(Contact: "wave " + n)))]));

        var failed = Ok(await Operator.AsAsync(() => Change("c1").ExecuteAsync()));

        // d1 and d2 went first; d3 and d4 together, d4 failed; d5 was never touched.
        Assert.Equal(ChangeStatus.FailedRolledBack, failed.Status);
        Assert.Equal(["APPLIED", "APPLIED", "APPLIED", "FAILED", null], failed.Targets.Select(t => t.Result?.Status));
        Assert.Equal(["APPLIED", "APPLIED", "APPLIED", null, null], failed.Targets.Select(t => t.Rollback?.Status));
        Assert.True(failed.Targets[2].Rollback!.At <= failed.Targets[1].Rollback!.At);
        for (var i = 0; i < names.Length; i++)
        {
            var now = (await Probe.GetConfigAsync(Key(names[i])))!;
            Assert.True(before[i].SameAs(now.Intended), names[i]);
            Assert.Null(now.LockedBy);
        }
    }

    [Fact]
    public async Task A_rollback_that_fails_degrades_the_device_and_the_change()
    {
        await Device("d1");
        await Device("d2");
        await Faults("d1", new SimulatedConfigFaults(RollbackFails: true));
        await Faults("d2", new SimulatedConfigFaults(ApplyFails: true));
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Contact: "a")), ("d2", new ConfigPatch(Contact: "b"))));

        var failed = Ok(await Operator.AsAsync(() => Change("c1").ExecuteAsync()));

        Assert.Equal(ChangeStatus.FailedDegraded, failed.Status);
        Assert.Equal("FAILED", failed.Targets[0].Rollback?.Status);
        var snapshot = await Callers.Of(_tenant, Roles.Viewer).AsAsync(() => cluster.Client.GetGrain<IDeviceGrain>(Key("d1")).GetSnapshotAsync());
        Assert.Equal(DeviceStatus.Degraded, snapshot!.Status);
        await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.DeviceDegraded);
    }

    [Fact]
    public async Task A_device_locked_by_another_change_refuses_the_execution_naming_it_and_nothing_stays_locked()
    {
        await Device("d1");
        await Device("d2");
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Contact: "a")), ("d2", new ConfigPatch(Contact: "b"))));
        await Probe.LockAsync(Key("d2"), "other-change");

        var refused = Refusal(await Operator.AsAsync(() => Change("c1").ExecuteAsync()));

        Assert.Equal(ChangeRefusalCode.DeviceLocked, refused.Code);
        Assert.Equal($"device {Region}/d2 is locked by change other-change", refused.Message);
        Assert.Null((await Probe.GetConfigAsync(Key("d1")))!.LockedBy);
        Assert.Equal(ChangeStatus.Approved, (await Operator.AsAsync(() => Change("c1").GetAsync()))!.Status);
        await Probe.UnlockAsync(Key("d2"), "other-change");
        Assert.Equal(ChangeStatus.Applied, Ok(await Operator.AsAsync(() => Change("c1").ExecuteAsync())).Status);
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_the_change_expires()
    {
        await Device("d1");
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Contact: "a"))));
        cluster.Clock.Offset = TimeSpan.FromHours(2);
        try
        {
            Assert.Equal(ChangeRefusalCode.TokenExpired, Refusal(await Operator.AsAsync(() => Change("c1").ExecuteAsync())).Code);
        }
        finally
        {
            cluster.Clock.Offset = TimeSpan.Zero;
        }

        Assert.Equal(ChangeStatus.Expired, (await Operator.AsAsync(() => Change("c1").GetAsync()))!.Status);
        Assert.Equal(ChangeRefusalCode.TokenExpired, Refusal(await Operator.AsAsync(() => Change("c1").ExecuteAsync())).Code);
    }

    [Fact]
    public async Task A_device_changed_since_approval_is_refused_as_edited_after_approval()
    {
        await Device("d1");
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Contact: "a"))));
        Ok(await Propose("c2", Operator, ("d1", new ConfigPatch(Location: "moved"))));
        Assert.Equal(ChangeStatus.Applied, Ok(await Operator.AsAsync(() => Change("c2").ExecuteAsync())).Status);

        var refused = Refusal(await Operator.AsAsync(() => Change("c1").ExecuteAsync()));

        Assert.Equal(ChangeRefusalCode.EditedAfterApproval, refused.Code);
        Assert.Null((await Probe.GetConfigAsync(Key("d1")))!.LockedBy);
    }

    [Fact]
    public async Task Emergencies_are_approved_at_once_rate_limited_and_acknowledged_by_a_global_approver()
    {
        await Device("d1");
        await Callers.Of(_tenant, Roles.Admin).AsAsync(() => cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant).SetChangePolicyAsync(Abstractions.Policy.ChangePolicy.Default with { EmergenciesPerHour = 1 }));

        var first = Ok(await Propose("c1", Operator, true, ("d1", new ConfigPatch(Interfaces: [new InterfacePatch("eth1", Enabled: false)]))));
        var second = await Propose("c2", Operator, true, ("d1", new ConfigPatch(Contact: "x")));

        Assert.Equal((Sensitivity.Emergency, ChangeStatus.Approved), (first.Sensitivity, first.Status));
        Assert.Equal(ChangeRefusalCode.RateLimited, Refusal(second).Code);
        Assert.Null(await Operator.AsAsync(() => Change("c2").GetAsync()));
        Assert.Equal(ChangeRefusalCode.Forbidden, Refusal(await RegionApprover.AsAsync(() => Change("c1").AcknowledgeEmergencyAsync(null))).Code);
        var acknowledged = Ok(await GlobalApprover.AsAsync(() => Change("c1").AcknowledgeEmergencyAsync("seen")));
        Assert.NotNull(acknowledged.AcknowledgedAt);
        Assert.Equal(ChangeRefusalCode.Conflict, Refusal(await GlobalApprover.AsAsync(() => Change("c1").AcknowledgeEmergencyAsync(null))).Code);
    }

    [Fact]
    public async Task A_high_change_needs_a_global_approver_and_impact_names_links_and_isolated_devices()
    {
        await Device("d1");
        await Device("d2");
        cluster.Topology.Set(_tenant, new ChangeTopology(
            [new TopologyDevice("d1", Region, "d1", "core"), new TopologyDevice("d2", Region, "d2", "access")],
            [new TopologyLink("d1:eth0|d2:eth0", Region, "d1", "eth0", "d2", "eth0", true)]));
        await Callers.Of(_tenant, Roles.Admin).AsAsync(() => cluster.Client.GetGrain<IGlobalPolicyGrain>(_tenant).SetChangePolicyAsync(Abstractions.Policy.ChangePolicy.Default with { HighDeviceCount = 1 }));

        var change = Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Location: "x")), ("d2", new ConfigPatch(Interfaces: [new InterfacePatch("eth0", Enabled: false)]))));

        Assert.Equal(Sensitivity.High, change.Sensitivity);
        Assert.Equal("d1:eth0|d2:eth0", Assert.Single(change.Impact.LinksDown).Link);
        Assert.Equal(["d2"], change.Impact.DevicesIsolated.ToArray());
        Assert.Equal(ChangeRefusalCode.Forbidden, Refusal(await RegionApprover.AsAsync(() => Change("c1").ApproveAsync(null))).Code);
        Assert.Equal(ChangeStatus.Approved, Ok(await GlobalApprover.AsAsync(() => Change("c1").ApproveAsync("ok"))).Status);
    }

    [Fact]
    public async Task Another_tenant_sees_no_change_and_cancel_ends_a_change_before_execution()
    {
        await Device("d1");
        Ok(await Propose("c1", Operator, ("d1", new ConfigPatch(Hostname: "x1"))));
        var stranger = Callers.Of(Callers.NewTenant(), Roles.Operator | Roles.GlobalApprover);

        Assert.Null(await stranger.AsAsync(() => cluster.Client.GetGrain<IChangeGrain>($"{stranger.Tenant}/c1").GetAsync()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => stranger.AsAsync(() => Change("c1").GetAsync()));

        Assert.Equal(ChangeStatus.Cancelled, Ok(await Operator.AsAsync(() => Change("c1").CancelAsync("not needed"))).Status);
        Assert.Equal(ChangeRefusalCode.Conflict, Refusal(await RegionApprover.AsAsync(() => Change("c1").ApproveAsync(null))).Code);
    }

    private static ChangeView Ok(ChangeOutcome outcome)
    {
        Assert.True(outcome.Change is not null, string.Join("; ", outcome.Refusals.Select(r => r.Message)));
        return outcome.Change;
    }

    private static ChangeRefusal Refusal(ChangeOutcome outcome)
    {
        Assert.Null(outcome.Change);
        return Assert.Single(outcome.Refusals);
    }

    private string Key(string device) => $"{_tenant}/{device}";

    private IChangeGrain Change(string id) => cluster.Client.GetGrain<IChangeGrain>($"{_tenant}/{id}");

    private Task<ChangeOutcome> Propose(string id, Caller caller, params (string Device, ConfigPatch Patch)[] targets) => Propose(id, caller, false, targets);

    private Task<ChangeOutcome> Propose(string id, Caller caller, bool emergency, params (string Device, ConfigPatch Patch)[] targets) =>
        caller.AsAsync(() => Change(id).ProposeAsync(new ChangeProposal("title", emergency ? "outage" : null, [.. targets.Select(t => new ChangeTargetInput(t.Device, t.Patch))], emergency)));

    private Task Device(string name) => Probe.ObserveAsync(Key(name), Region, Router(name));

    private Task<SimulatedDeviceConfig> Faults(string name, SimulatedConfigFaults faults) =>
        Operator.AsAsync(() => cluster.Client.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(_tenant, Region, name)).SetFaultsAsync(faults));

    private Task<SimulatedDeviceConfig> SimDevice(string name) =>
        Operator.AsAsync(() => cluster.Client.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(_tenant, Region, name)).GetAsync());

    private static DeviceObservation Router(string name) => new(
        "chassis-" + name, name, "acme", "r1", "1.0", "192.0.2.1", "router",
        [
            new InterfaceObservation(1, "eth0", "aa:00:00:00:10:01", 1_000_000_000, AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
            new InterfaceObservation(2, "eth1", "aa:00:00:00:10:02", 1_000_000_000, AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
        ],
        ImmutableArray<NeighborObservation>.Empty,
        DateTimeOffset.UtcNow);
}
