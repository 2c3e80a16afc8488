using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Simulation;
using Pdsno.Grains.Config;
using Pdsno.Grains.Devices;

namespace Pdsno.UnitTests.Domain;

public sealed class ConfigRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly DeviceConfig Running = SimulatedConfigDefaults.For("r1", ["eth0", "eth1"]);

    [Fact]
    public void Without_a_config_read_the_baseline_is_built_from_the_observation()
    {
        var baseline = ConfigRules.Baseline(Observation(null, adminDownEth1: true));

        Assert.Equal("r1", baseline.Hostname);
        Assert.Equal([("eth0", true, 1500), ("eth1", false, 1500)], baseline.Interfaces.Select(i => (i.Name, i.Enabled, i.Mtu)));
        Assert.Empty(baseline.Routes);
        Assert.Empty(baseline.NtpServers);
    }

    [Fact]
    public void The_first_observation_is_version_one_by_discovery_and_is_written()
    {
        var step = ConfigRules.Observe(Empty(), Observation(Running), Now);

        Assert.NotNull(step.NewVersion);
        Assert.Equal((1L, "discovery", (string?)null, false), (step.NewVersion.Version, step.NewVersion.Actor, step.NewVersion.ChangeId, step.NewVersion.Rollback));
        Assert.True(Running.SameAs(step.NewVersion.Config));
        Assert.True(step.Persist);
        Assert.Empty(step.Changes);
        Assert.Equal(ConfigSections.All, step.Next.Sections);
    }

    [Fact]
    public void An_unchanged_observation_writes_nothing()
    {
        var current = Synced(Running);

        var step = ConfigRules.Observe(current, Observation(Running), Now);

        Assert.False(step.Persist);
        Assert.Null(step.NewVersion);
        Assert.Empty(step.Changes);
    }

    [Fact]
    public void Drift_is_raised_when_it_appears_kept_silently_and_cleared_when_it_goes()
    {
        var drifted = Running with { Routes = [new StaticRoute("10.0.0.0/8", "192.0.2.1")] };

        var appears = ConfigRules.Observe(Synced(Running), Observation(drifted), Now);
        var stays = ConfigRules.Observe(appears.Next, Observation(drifted), Now);
        var goes = ConfigRules.Observe(stays.Next, Observation(Running), Now);

        Assert.Equal([TopologyEventType.ConfigDrift], appears.Changes.Select(c => c.Type));
        Assert.Equal("routes[10.0.0.0/8 via 192.0.2.1]", appears.Changes[0].NewValue);
        Assert.True(appears.Next.Drift);
        Assert.Empty(stays.Changes);
        Assert.False(stays.Persist);
        Assert.Equal([TopologyEventType.ConfigDriftCleared], goes.Changes.Select(c => c.Type));
        Assert.False(goes.Next.Drift);
    }

    [Fact]
    public void Drift_is_judged_only_on_the_sections_the_driver_reads()
    {
        var observed = Running with { Location = "elsewhere", Interfaces = [Running.Interfaces[0] with { Mtu = 9000 }, Running.Interfaces[1]] };

        var drift = ConfigRules.Drift(Running, observed, ConfigSections.Interfaces);

        Assert.Equal(["interfaces[eth0].mtu"], drift.Select(d => d.Path));
        Assert.Empty(ConfigRules.Drift(Running, observed, ConfigSections.None));
    }

    [Fact]
    public void No_drift_is_judged_while_a_change_holds_the_lock()
    {
        var locked = Synced(Running) with { LockedBy = "change-1" };

        var step = ConfigRules.Observe(locked, Observation(Running with { Contact = "someone" }), Now);

        Assert.Empty(step.Changes);
        Assert.False(step.Next.Drift);
        Assert.True(step.Persist);
    }

    [Fact]
    public void A_many_path_drift_event_names_the_first_ten_and_counts_the_rest()
    {
        var many = Enumerable.Range(0, 13).Select(i => new ConfigDiffEntry($"p{i}", null, "x")).ToImmutableArray();
        var changes = new List<DeviceChange>();

        ConfigRules.Judge(false, many, changes);

        Assert.EndsWith("p9, 3 more", changes.Single().NewValue, StringComparison.Ordinal);
    }

    [Fact]
    public void Discovery_keeps_a_degraded_device_degraded_and_says_so_once()
    {
        var unreachable = Truth(DeviceStatus.Unreachable);
        var seen = DeviceRules.Observe(unreachable, "north", Observation(null), Now);

        var (fromUnreachable, changes) = ConfigRules.KeepDegraded(unreachable, seen.Next, seen.Changes, "rollback failed", Now);
        var degraded = Truth(DeviceStatus.Degraded);
        var again = DeviceRules.Observe(degraded, "north", Observation(null), Now);
        var (stays, none) = ConfigRules.KeepDegraded(degraded, again.Next, again.Changes, "rollback failed", Now.AddMinutes(1));

        Assert.Equal(DeviceStatus.Degraded, fromUnreachable.Status);
        Assert.Equal(["UNREACHABLE->DEGRADED"], changes.Where(c => c.Type == TopologyEventType.DeviceStatusChanged).Select(c => $"{c.OldValue}->{c.NewValue}"));
        Assert.Equal(DeviceStatus.Degraded, stays.Status);
        Assert.Equal(degraded.StatusSince, stays.StatusSince);
        Assert.DoesNotContain(none, c => c.Type == TopologyEventType.DeviceStatusChanged);
    }

    [Fact]
    public void A_device_without_a_degraded_reason_becomes_active_as_before()
    {
        var unreachable = Truth(DeviceStatus.Unreachable);
        var seen = DeviceRules.Observe(unreachable, "north", Observation(null), Now);

        var (next, changes) = ConfigRules.KeepDegraded(unreachable, seen.Next, seen.Changes, null, Now);

        Assert.Equal(DeviceStatus.Active, next.Status);
        Assert.Same(seen.Changes, changes);
    }

    [Fact]
    public void The_registry_names_a_missing_driver_and_what_the_silo_has()
    {
        var registry = new ConfigDriverRegistry([new NamedDriver("simulated")], Options.Create(new ConfigDriverOptions { Driver = "ssh" }));

        var ex = Assert.Throws<ConfigDriverException>(() => registry.Resolve(Target()));

        Assert.Contains("'ssh'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ConfigDrivers:Driver", ex.Message, StringComparison.Ordinal);
        Assert.Contains("simulated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registry_resolves_the_configured_driver_by_name_in_any_case()
    {
        var ssh = new NamedDriver("ssh");
        var registry = new ConfigDriverRegistry([new NamedDriver("simulated"), ssh], Options.Create(new ConfigDriverOptions { Driver = "SSH" }));

        Assert.Same(ssh, registry.Resolve(Target()));
    }

    private static ConfigTruth Empty() => new(null, null, ConfigSections.None, false, null);

    private static ConfigTruth Synced(DeviceConfig config) =>
        new(new ConfigVersion(1, config, null, "discovery", Now, false), config, ConfigSections.All, false, null);

    private static DeviceTruth Truth(DeviceStatus status) => new(
        new DeviceIdentity("aa:01", "r1", "acme", "x", "1", "192.0.2.1", "router"),
        "north", status, Now.AddHours(-1), Now.AddDays(-1),
        [new InterfaceState(1, "eth0", "aa:00:00:00:00:01", 1_000_000_000, AdminStatus.Up, OperStatus.Up), new InterfaceState(2, "eth1", "aa:00:00:00:00:02", 1_000_000_000, AdminStatus.Up, OperStatus.Up)],
        [], []);

    private static ConfigTarget Target() => new("t", "d", "north", "r1", "192.0.2.1", ["eth0"]);

    private static DeviceObservation Observation(DeviceConfig? config, bool adminDownEth1 = false) => new(
        "aa:01", "r1", "acme", "x", "1", "192.0.2.1", "router",
        [
            new InterfaceObservation(1, "eth0", "aa:00:00:00:00:01", 1_000_000_000, AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
            new InterfaceObservation(2, "eth1", "aa:00:00:00:00:02", 1_000_000_000, adminDownEth1 ? AdminStatus.Down : AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
        ],
        [],
        Now,
        Config: config,
        ConfigSections: config is null ? ConfigSections.None : ConfigSections.All);

    private sealed class NamedDriver(string name) : IConfigDriver
    {
        public string Name => name;

        public ConfigSections Sections => ConfigSections.All;

        public Task<DeviceConfig> ReadAsync(ConfigTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ApplyAsync(ConfigTarget target, DeviceConfig desired, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
