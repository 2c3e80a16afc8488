using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Devices;

namespace Pdsno.UnitTests.Domain;

public class DeviceRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeviceTruth Unknown = new(null, "", DeviceStatus.Active, default, default, [], [], []);

    private static InterfaceObservation Interface(int index, string name, OperStatus oper = OperStatus.Up, ulong inOctets = 0, ulong outOctets = 0) =>
        new(index, name, $"02:00:00:00:00:{index:x2}", 10_000_000_000L, AdminStatus.Up, oper, inOctets, outOctets, 0, 0);

    private static DeviceObservation Observation(
        ImmutableArray<InterfaceObservation> interfaces,
        ImmutableArray<NeighborObservation> neighbors = default,
        string name = "core-1",
        string osVersion = "EOS 4.31.2F") =>
        new("02:00:00:00:00:01", name, "Arista", "7280R3", osVersion, "10.0.0.1", "core", interfaces, neighbors.IsDefault ? [] : neighbors, T0);

    private static DeviceTruth Known(DeviceObservation observation, string region = "east") =>
        DeviceRules.Observe(Unknown, region, observation, T0).Next;

    [Fact]
    public void First_observation_adds_an_active_device()
    {
        var (next, changes) = DeviceRules.Observe(Unknown, "east", Observation([Interface(1, "Ethernet1")]), T0);

        var change = Assert.Single(changes);
        Assert.Equal(TopologyEventType.DeviceAdded, change.Type);
        Assert.Equal("core-1", change.NewValue);
        Assert.Equal(DeviceStatus.Active, next.Status);
        Assert.Equal(T0, next.FirstSeen);
        Assert.Equal(T0, next.StatusSince);
        Assert.Equal("east", next.Region);
        Assert.Equal("Ethernet1", Assert.Single(next.Interfaces).Name);
        Assert.True(DeviceRules.Differs(Unknown, next));
    }

    [Fact]
    public void First_observation_does_not_announce_its_interfaces_one_by_one()
    {
        var (_, changes) = DeviceRules.Observe(Unknown, "east", Observation([Interface(1, "Ethernet1"), Interface(2, "Ethernet2")]), T0);

        Assert.DoesNotContain(changes, c => c.Type == TopologyEventType.InterfaceAdded);
    }

    [Fact]
    public void Identical_observation_changes_nothing_even_when_counters_moved()
    {
        var current = Known(Observation([Interface(1, "Ethernet1", inOctets: 100, outOctets: 200)]));

        var (next, changes) = DeviceRules.Observe(current, "east", Observation([Interface(1, "Ethernet1", inOctets: 9_000_000, outOctets: 7_000_000)]), T0.AddSeconds(30));

        Assert.Empty(changes);
        Assert.False(DeviceRules.Differs(current, next));
        Assert.Equal(T0, next.FirstSeen);
        Assert.Equal(T0, next.StatusSince);
    }

    [Fact]
    public void Oper_status_change_reports_old_and_new_values()
    {
        var current = Known(Observation([Interface(1, "Ethernet1", OperStatus.Up)]));

        var (next, changes) = DeviceRules.Observe(current, "east", Observation([Interface(1, "Ethernet1", OperStatus.Down)]), T0.AddSeconds(30));

        var change = Assert.Single(changes);
        Assert.Equal(TopologyEventType.InterfaceChanged, change.Type);
        Assert.Equal("Ethernet1", change.Interface);
        Assert.Contains("oper=UP", change.OldValue, StringComparison.Ordinal);
        Assert.Contains("oper=DOWN", change.NewValue, StringComparison.Ordinal);
        Assert.Equal(OperStatus.Down, Assert.Single(next.Interfaces).Oper);
        Assert.True(DeviceRules.Differs(current, next));
    }

    [Fact]
    public void New_and_vanished_interfaces_are_reported()
    {
        var current = Known(Observation([Interface(1, "Ethernet1"), Interface(2, "Ethernet2")]));

        var (next, changes) = DeviceRules.Observe(current, "east", Observation([Interface(1, "Ethernet1"), Interface(3, "Ethernet3")]), T0.AddSeconds(30));

        Assert.Equal(2, changes.Count);
        var added = Assert.Single(changes, c => c.Type == TopologyEventType.InterfaceAdded);
        Assert.Equal("Ethernet3", added.Interface);
        Assert.Null(added.OldValue);
        var removed = Assert.Single(changes, c => c.Type == TopologyEventType.InterfaceRemoved);
        Assert.Equal("Ethernet2", removed.Interface);
        Assert.Null(removed.NewValue);
        Assert.Equal(["Ethernet1", "Ethernet3"], next.Interfaces.Select(i => i.Name));
    }

    [Fact]
    public void Identity_change_is_a_device_change()
    {
        var current = Known(Observation([Interface(1, "Ethernet1")]));

        var (next, changes) = DeviceRules.Observe(current, "east", Observation([Interface(1, "Ethernet1")], osVersion: "EOS 4.32.0F"), T0.AddSeconds(30));

        var change = Assert.Single(changes);
        Assert.Equal(TopologyEventType.DeviceChanged, change.Type);
        Assert.Contains("os=EOS 4.31.2F", change.OldValue, StringComparison.Ordinal);
        Assert.Contains("os=EOS 4.32.0F", change.NewValue, StringComparison.Ordinal);
        Assert.Equal("EOS 4.32.0F", next.Identity!.OsVersion);
        Assert.True(DeviceRules.Differs(current, next));
    }

    [Fact]
    public void Moving_region_is_a_device_change()
    {
        var current = Known(Observation([Interface(1, "Ethernet1")]), region: "east");

        var (next, changes) = DeviceRules.Observe(current, "west", Observation([Interface(1, "Ethernet1")]), T0.AddSeconds(30));

        var change = Assert.Single(changes);
        Assert.Equal(TopologyEventType.DeviceChanged, change.Type);
        Assert.Contains("region=east", change.OldValue, StringComparison.Ordinal);
        Assert.Contains("region=west", change.NewValue, StringComparison.Ordinal);
        Assert.Equal("west", next.Region);
    }

    [Theory]
    [InlineData(DeviceStatus.Unreachable, "UNREACHABLE")]
    [InlineData(DeviceStatus.Inactive, "INACTIVE")]
    public void A_missed_device_seen_again_is_active(DeviceStatus was, string wasText)
    {
        var observation = Observation([Interface(1, "Ethernet1")]);
        var current = Known(observation) with { Status = was, StatusSince = T0.AddMinutes(1) };
        var later = T0.AddMinutes(5);

        var (next, changes) = DeviceRules.Observe(current, "east", observation, later);

        var change = Assert.Single(changes);
        Assert.Equal(TopologyEventType.DeviceStatusChanged, change.Type);
        Assert.Equal(wasText, change.OldValue);
        Assert.Equal("ACTIVE", change.NewValue);
        Assert.Equal(DeviceStatus.Active, next.Status);
        Assert.Equal(later, next.StatusSince);
        Assert.Equal(T0, next.FirstSeen);
    }

    [Fact]
    public void Duplicate_interface_names_keep_the_first_report()
    {
        var (next, _) = DeviceRules.Observe(Unknown, "east", Observation([Interface(1, "Ethernet1", OperStatus.Up), Interface(7, "Ethernet1", OperStatus.Down)]), T0);

        var only = Assert.Single(next.Interfaces);
        Assert.Equal(1, only.Index);
        Assert.Equal(OperStatus.Up, only.Oper);
    }

    [Fact]
    public void Interfaces_are_kept_in_index_order_so_reordered_reports_are_no_change()
    {
        var current = Known(Observation([Interface(2, "Ethernet2"), Interface(1, "Ethernet1")]));

        Assert.Equal([1, 2], current.Interfaces.Select(i => i.Index));
        var (next, changes) = DeviceRules.Observe(current, "east", Observation([Interface(1, "Ethernet1"), Interface(2, "Ethernet2")]), T0.AddSeconds(30));
        Assert.Empty(changes);
        Assert.False(DeviceRules.Differs(current, next));
    }

    [Fact]
    public void Neighbour_change_alone_is_persisted_but_announces_nothing()
    {
        var current = Known(Observation([Interface(1, "Ethernet1")], [new NeighborObservation("Ethernet1", "02:00:00:00:00:02", "Ethernet9", "core-2")]));

        var (next, changes) = DeviceRules.Observe(
            current, "east", Observation([Interface(1, "Ethernet1")], [new NeighborObservation("Ethernet1", "02:00:00:00:00:03", "Ethernet4", "core-3")]), T0.AddSeconds(30));

        Assert.Empty(changes);
        Assert.True(DeviceRules.Differs(current, next));
        var neighbor = Assert.Single(next.Neighbors);
        Assert.Equal(new Neighbor("Ethernet1", "02:00:00:00:00:03", "Ethernet4"), neighbor);
    }

    [Fact]
    public void Repeated_neighbour_entries_are_stored_once()
    {
        var entry = new NeighborObservation("Ethernet1", "02:00:00:00:00:02", "Ethernet9", "core-2");

        var (next, _) = DeviceRules.Observe(Unknown, "east", Observation([Interface(1, "Ethernet1")], [entry, entry with { RemoteSystemName = null }]), T0);

        Assert.Single(next.Neighbors);
    }

    [Fact]
    public void One_missed_cycle_makes_an_active_device_unreachable()
    {
        var current = Known(Observation([Interface(1, "Ethernet1")]));
        var when = T0.AddMinutes(1);

        var (next, change) = DeviceRules.Missed(current, 1, 3, when);

        Assert.NotNull(change);
        Assert.Equal(TopologyEventType.DeviceStatusChanged, change.Type);
        Assert.Equal("ACTIVE", change.OldValue);
        Assert.Equal("UNREACHABLE", change.NewValue);
        Assert.Equal(DeviceStatus.Unreachable, next.Status);
        Assert.Equal(when, next.StatusSince);
    }

    [Fact]
    public void Reaching_the_limit_makes_the_device_inactive()
    {
        var current = Known(Observation([Interface(1, "Ethernet1")]));

        var (next, change) = DeviceRules.Missed(current, 3, 3, T0.AddMinutes(1));

        Assert.Equal(DeviceStatus.Inactive, next.Status);
        Assert.Equal("INACTIVE", change!.NewValue);
    }

    [Fact]
    public void Missing_one_two_three_cycles_with_limit_three_yields_two_status_events_in_order()
    {
        var truth = Known(Observation([Interface(1, "Ethernet1")]));
        var events = new List<DeviceChange>();
        for (var missed = 1; missed <= 3; missed++)
        {
            var (next, change) = DeviceRules.Missed(truth, missed, 3, T0.AddMinutes(missed));
            truth = next;
            if (change is not null)
            {
                events.Add(change);
            }
        }

        Assert.Equal(
            [("ACTIVE", "UNREACHABLE"), ("UNREACHABLE", "INACTIVE")],
            events.Select(e => (e.OldValue, e.NewValue)));
        Assert.All(events, e => Assert.Equal(TopologyEventType.DeviceStatusChanged, e.Type));
        Assert.Equal(DeviceStatus.Inactive, truth.Status);
        Assert.Equal(T0.AddMinutes(3), truth.StatusSince);
    }

    [Fact]
    public void Missing_a_device_never_seen_does_nothing()
    {
        var (next, change) = DeviceRules.Missed(Unknown, 5, 3, T0);

        Assert.Null(change);
        Assert.Same(Unknown, next);
    }

    [Fact]
    public void An_inactive_device_stays_inactive_even_when_the_limit_was_raised()
    {
        var current = Known(Observation([Interface(1, "Ethernet1")])) with { Status = DeviceStatus.Inactive };

        var (next, change) = DeviceRules.Missed(current, 4, 10, T0.AddMinutes(4));

        Assert.Null(change);
        Assert.Equal(DeviceStatus.Inactive, next.Status);
    }

    [Fact]
    public void Zero_missed_cycles_changes_nothing()
    {
        var current = Known(Observation([Interface(1, "Ethernet1")]));

        var (next, change) = DeviceRules.Missed(current, 0, 3, T0.AddMinutes(1));

        Assert.Null(change);
        Assert.Equal(DeviceStatus.Active, next.Status);
    }

    [Fact]
    public void Nonsense_data_is_recorded_as_problems_and_the_device_is_still_observed()
    {
        var odd = Observation(
            [
                Interface(1, "Ethernet1") with { SpeedBps = 0 },
                Interface(2, "Ethernet2"),
                Interface(2, "Ethernet3"),
                Interface(4, "Ethernet2", OperStatus.Down),
                Interface(5, "Ethernet5", OperStatus.Down) with { SpeedBps = 0 },
                Interface(6, "Ethernet6") with { SpeedBps = -5 },
            ]) with { Problems = ["walk of 1.0.8802.1.1.2.1.4.1.1: genErr", "  "] };

        var (next, changes) = DeviceRules.Observe(Unknown, "east", odd, T0);

        Assert.Equal(TopologyEventType.DeviceAdded, Assert.Single(changes).Type);
        Assert.Equal<string>(
            [
                "ifIndex 2 is reported 2 times (Ethernet2, Ethernet3)",
                "interface Ethernet1 is up at speed 0; its utilization is unknown",
                "interface Ethernet6 reports a negative speed -5",
                "interface name Ethernet2 is reported 2 times; the first is kept",
                "walk of 1.0.8802.1.1.2.1.4.1.1: genErr",
            ],
            next.Problems);

        // A down port at speed 0 is ordinary (nothing negotiated), not a problem.
        Assert.DoesNotContain(next.Problems, p => p.Contains("Ethernet5", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_problems_again_change_nothing_and_new_or_cleared_ones_do()
    {
        var bad = Observation([Interface(1, "Ethernet1") with { SpeedBps = 0 }]);
        var current = Known(bad);

        var (same, sameChanges) = DeviceRules.Observe(current, "east", bad, T0.AddSeconds(30));
        var (fixedUp, _) = DeviceRules.Observe(current, "east", Observation([Interface(1, "Ethernet1")]), T0.AddSeconds(60));

        Assert.Empty(sameChanges);
        Assert.False(DeviceRules.Differs(current, same));
        Assert.Empty(fixedUp.Problems);
        Assert.True(DeviceRules.Differs(current, fixedUp));
    }

    [Fact]
    public void Problems_are_bounded_in_number_and_length()
    {
        var flood = Observation([Interface(1, "Ethernet1")]) with
        {
            Problems = [.. Enumerable.Range(0, 100).Select(i => $"problem {i:000} " + new string('x', 500))],
        };

        var problems = DeviceRules.Problems(flood);

        Assert.Equal(DeviceRules.MaxProblems, problems.Length);
        Assert.All(problems, p => Assert.True(p.Length <= DeviceRules.MaxProblemLength));
        Assert.Equal($"{100 - DeviceRules.MaxProblems + 1} more problems not kept", problems[^1]);
    }
}
