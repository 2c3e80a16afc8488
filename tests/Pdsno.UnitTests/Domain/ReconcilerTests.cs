using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Regions;
using Pdsno.Grains.Regions;

namespace Pdsno.UnitTests.Domain;

public class ReconcilerTests
{
    private const long TenGig = 10_000_000_000L;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ImmutableDictionary<string, ImmutableArray<Neighbor>> NoForeign = ImmutableDictionary<string, ImmutableArray<Neighbor>>.Empty;
    private static readonly ImmutableDictionary<string, long> NoSpeeds = ImmutableDictionary<string, long>.Empty;

    // Chassis ids are distinct from device keys so a test notices when one is used for the other.
    private static string Chassis(string device) => "chassis-" + device;

    private static string KeyOf(string chassis) => chassis.StartsWith("chassis-", StringComparison.Ordinal) ? chassis["chassis-".Length..] : chassis;

    private static Neighbor To(string localInterface, string remoteDevice, string remotePort) => new(localInterface, Chassis(remoteDevice), remotePort);

    private static DateTimeOffset Cycle(int n) => T0.AddSeconds(30 * n);

    private static void See(Reconciler r, string device, string controller, DateTimeOffset cycleStart, params Neighbor[] neighbors) =>
        r.Seen(device, controller, cycleStart, [.. neighbors], NoSpeeds);

    [Fact]
    public void A_device_seen_in_the_cycle_is_not_missed()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0));

        Assert.Empty(r.EndCycle("ctl-1", Cycle(0)));
        Assert.Equal(0, r.MissedCycles("a"));
    }

    [Fact]
    public void A_device_not_seen_misses_one_more_cycle_each_complete_cycle()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0));

        Assert.Equal([("a", 1)], r.EndCycle("ctl-1", Cycle(1)));
        Assert.Equal([("a", 2)], r.EndCycle("ctl-1", Cycle(2)));
        Assert.Equal(2, r.MissedCycles("a"));
    }

    [Fact]
    public void Seeing_a_missed_device_again_resets_its_count()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0));
        r.EndCycle("ctl-1", Cycle(1));
        r.EndCycle("ctl-1", Cycle(2));

        See(r, "a", "ctl-1", Cycle(3));

        Assert.Equal(0, r.MissedCycles("a"));
        Assert.Empty(r.EndCycle("ctl-1", Cycle(3)));
        Assert.Equal([("a", 1)], r.EndCycle("ctl-1", Cycle(4)));
    }

    [Fact]
    public void Another_controllers_cycle_does_not_miss_a_device_it_does_not_answer_for()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0));

        Assert.Empty(r.EndCycle("ctl-2", Cycle(1)));
        Assert.Equal(0, r.MissedCycles("a"));
    }

    [Fact]
    public void A_device_seen_by_two_controllers_is_missed_only_when_neither_sees_it()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0));
        See(r, "a", "ctl-2", Cycle(0));

        // ctl-1 lost sight of it, ctl-2 still sees it.
        See(r, "a", "ctl-2", Cycle(1));
        Assert.Empty(r.EndCycle("ctl-1", Cycle(1)));
        Assert.Empty(r.EndCycle("ctl-2", Cycle(1)));

        // ctl-2 lost sight of it, ctl-1 sees it again.
        See(r, "a", "ctl-1", Cycle(2));
        Assert.Empty(r.EndCycle("ctl-2", Cycle(2)));
        Assert.Empty(r.EndCycle("ctl-1", Cycle(2)));
        Assert.Equal(0, r.MissedCycles("a"));

        // Nobody sees it: one missed cycle, counted once.
        var missed = r.EndCycle("ctl-1", Cycle(3)).Concat(r.EndCycle("ctl-2", Cycle(3))).ToList();
        Assert.Equal([("a", 1)], missed);
    }

    [Fact]
    public void A_device_seen_by_another_controller_since_the_cycle_began_is_not_missed()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0));

        // ctl-1's cycle 1 runs without seeing it, but ctl-2's cycle, begun later, does.
        See(r, "a", "ctl-2", Cycle(1).AddSeconds(5));

        Assert.Empty(r.EndCycle("ctl-1", Cycle(1)));
        Assert.Empty(r.EndCycle("ctl-2", Cycle(1).AddSeconds(5)));
        Assert.Equal(0, r.MissedCycles("a"));
    }

    [Fact]
    public void A_device_known_from_durable_state_is_missed_after_the_first_cycle_that_does_not_see_it()
    {
        var r = new Reconciler();
        r.Know("a", null);
        r.Know("b", null);
        See(r, "b", "ctl-1", Cycle(1));

        Assert.True(r.Knows("a"));
        Assert.Equal(["a", "b"], r.Devices.Order(StringComparer.Ordinal));
        Assert.Equal([("a", 1)], r.EndCycle("ctl-1", Cycle(1)));
    }

    [Fact]
    public void A_known_device_with_a_primary_is_judged_only_by_that_controller()
    {
        var r = new Reconciler();
        r.Know("a", "ctl-1");

        Assert.Empty(r.EndCycle("ctl-2", Cycle(1)));
        Assert.Equal([("a", 1)], r.EndCycle("ctl-1", Cycle(1)));
    }

    [Fact]
    public void Know_does_not_forget_what_was_already_seen()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(1));

        r.Know("a", null);

        Assert.Empty(r.EndCycle("ctl-1", Cycle(1)));
    }

    [Fact]
    public void Untracked_device_has_no_missed_cycles()
    {
        var r = new Reconciler();

        Assert.False(r.Knows("ghost"));
        Assert.Equal(0, r.MissedCycles("ghost"));
    }

    [Fact]
    public void A_link_is_confirmed_when_both_ends_report_each_other()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "b", "eth2"));
        See(r, "b", "ctl-1", Cycle(0), To("eth2", "a", "eth1"));

        var links = r.ConfirmedLinks(KeyOf, NoForeign);

        var link = Assert.Single(links.Values);
        Assert.Equal(new ConfirmedLink("a:eth1|b:eth2", "a", "eth1", "b", "eth2", 0), link);
        Assert.Equal(link.Id, Assert.Single(links.Keys));
    }

    [Fact]
    public void A_one_sided_neighbour_entry_is_not_a_link()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "b", "eth2"));
        See(r, "b", "ctl-1", Cycle(0));

        Assert.Empty(r.ConfirmedLinks(KeyOf, NoForeign));
    }

    [Fact]
    public void Ends_that_disagree_about_the_ports_are_not_a_link()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "b", "eth2"));
        See(r, "b", "ctl-1", Cycle(0), To("eth2", "a", "eth7"));

        Assert.Empty(r.ConfirmedLinks(KeyOf, NoForeign));
    }

    [Fact]
    public void A_link_is_not_confirmed_while_one_end_is_missed()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "b", "eth2"));
        See(r, "b", "ctl-2", Cycle(0), To("eth2", "a", "eth1"));
        Assert.Single(r.ConfirmedLinks(KeyOf, NoForeign));

        See(r, "a", "ctl-1", Cycle(1), To("eth1", "b", "eth2"));
        r.EndCycle("ctl-2", Cycle(1));

        Assert.Empty(r.ConfirmedLinks(KeyOf, NoForeign));
        Assert.Empty(r.NeighborsOf("b"));
    }

    [Fact]
    public void Link_ids_are_the_same_from_either_end()
    {
        Assert.Equal(Reconciler.LinkId("a", "eth1", "b", "eth2"), Reconciler.LinkId("b", "eth2", "a", "eth1"));
        Assert.NotEqual(Reconciler.LinkId("a", "eth1", "b", "eth2"), Reconciler.LinkId("a", "eth2", "b", "eth1"));
    }

    [Fact]
    public void A_confirmed_link_names_its_ends_in_canonical_order_whichever_end_reported_first()
    {
        var r = new Reconciler();
        See(r, "b", "ctl-1", Cycle(0), To("eth2", "a", "eth1"));
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "b", "eth2"));

        var link = Assert.Single(r.ConfirmedLinks(KeyOf, NoForeign).Values);

        Assert.Equal(("a", "eth1", "b", "eth2"), (link.DeviceA, link.InterfaceA, link.DeviceB, link.InterfaceB));
        Assert.Equal(Reconciler.LinkId("b", "eth2", "a", "eth1"), link.Id);
    }

    [Fact]
    public void A_link_runs_at_the_slower_ends_speed()
    {
        var r = new Reconciler();
        r.Seen("a", "ctl-1", Cycle(0), [To("eth1", "b", "eth2")], new Dictionary<string, long> { ["eth1"] = TenGig });
        r.Seen("b", "ctl-1", Cycle(0), [To("eth2", "a", "eth1")], new Dictionary<string, long> { ["eth2"] = 1_000_000_000L });

        Assert.Equal(1_000_000_000L, Assert.Single(r.ConfirmedLinks(KeyOf, NoForeign).Values).SpeedBps);
    }

    [Fact]
    public void An_interface_polled_oper_down_takes_its_link_down_while_lldp_still_lists_the_neighbour()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "b", "eth2"));
        See(r, "b", "ctl-1", Cycle(0), To("eth2", "a", "eth1"));
        var (stored, _) = Reconciler.DiffLinks(ImmutableDictionary<string, LinkState>.Empty, r.ConfirmedLinks(KeyOf, NoForeign), T0, r.Knows);

        // The next poll: b's eth2 is down, but both LLDP tables still hold the entry until its TTL runs out.
        See(r, "a", "ctl-1", Cycle(1), To("eth1", "b", "eth2"));
        r.Seen("b", "ctl-1", Cycle(1), [To("eth2", "a", "eth1")], NoSpeeds, new HashSet<string> { "eth2" });
        var (down, downChanges) = Reconciler.DiffLinks(stored, r.ConfirmedLinks(KeyOf, NoForeign), T0.AddSeconds(30), r.Knows);

        var change = Assert.Single(downChanges);
        Assert.Equal((TopologyChangeKind.Down, "a:eth1|b:eth2"), (change.Kind, change.Link.Id));

        // Up again at the next poll: the link comes back.
        See(r, "a", "ctl-1", Cycle(2), To("eth1", "b", "eth2"));
        See(r, "b", "ctl-1", Cycle(2), To("eth2", "a", "eth1"));
        var (_, upChanges) = Reconciler.DiffLinks(down, r.ConfirmedLinks(KeyOf, NoForeign), T0.AddSeconds(60), r.Knows);
        Assert.Equal(TopologyChangeKind.Up, Assert.Single(upChanges).Kind);

        // The owning end's own interface going down counts the same.
        r.Seen("a", "ctl-1", Cycle(3), [To("eth1", "b", "eth2")], NoSpeeds, new HashSet<string> { "eth1" });
        See(r, "b", "ctl-1", Cycle(3), To("eth2", "a", "eth1"));
        Assert.Empty(r.ConfirmedLinks(KeyOf, NoForeign));
    }

    [Fact]
    public void A_link_to_another_region_is_confirmed_through_the_foreign_neighbour_table()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "z", "eth9"));

        Assert.Empty(r.ConfirmedLinks(KeyOf, NoForeign));
        Assert.Equal(["z"], r.ForeignPeers(KeyOf));

        var foreign = NoForeign.Add("z", [To("eth9", "a", "eth1")]);
        var link = Assert.Single(r.ConfirmedLinks(KeyOf, foreign).Values);
        Assert.Equal("a:eth1|z:eth9", link.Id);
    }

    [Fact]
    public void A_link_to_another_region_belongs_to_the_lower_device_key()
    {
        var r = new Reconciler();
        See(r, "z", "ctl-1", Cycle(0), To("eth9", "a", "eth1"));
        var foreign = NoForeign.Add("a", [To("eth1", "z", "eth9")]);

        Assert.Empty(r.ConfirmedLinks(KeyOf, foreign));
        Assert.Empty(r.ForeignPeers(KeyOf));
    }

    [Fact]
    public void Foreign_peers_leave_out_devices_of_the_region_and_missed_devices()
    {
        var r = new Reconciler();
        See(r, "a", "ctl-1", Cycle(0), To("eth1", "b", "eth1"), To("eth2", "x", "eth1"));
        See(r, "b", "ctl-1", Cycle(0), To("eth1", "a", "eth1"));
        See(r, "c", "ctl-2", Cycle(0), To("eth1", "y", "eth1"));
        r.EndCycle("ctl-2", Cycle(1));

        Assert.Equal(["x"], r.ForeignPeers(KeyOf));
    }

    private static LinkState Stored(string a, string ia, string b, string ib, LinkStatus status) =>
        new(Reconciler.LinkId(a, ia, b, ib), a, ia, b, ib, TenGig, status, T0);

    private static ConfirmedLink Confirmed(LinkState link) =>
        new(link.Id, link.DeviceA, link.InterfaceA, link.DeviceB, link.InterfaceB, link.SpeedBps);

    [Fact]
    public void A_new_confirmed_link_is_added_up()
    {
        var confirmed = new ConfirmedLink("a:eth1|b:eth2", "a", "eth1", "b", "eth2", TenGig);
        var now = Cycle(1);

        var (next, changes) = Reconciler.DiffLinks(ImmutableDictionary<string, LinkState>.Empty, new Dictionary<string, ConfirmedLink> { [confirmed.Id] = confirmed }, now, _ => true);

        var (link, kind) = Assert.Single(changes);
        Assert.Equal(TopologyChangeKind.Added, kind);
        Assert.Equal(LinkStatus.Up, link.Status);
        Assert.Equal(now, link.Since);
        Assert.Equal(link, next[confirmed.Id]);
    }

    [Fact]
    public void A_down_link_confirmed_again_comes_up()
    {
        var was = Stored("a", "eth1", "b", "eth2", LinkStatus.Down);
        var stored = ImmutableDictionary<string, LinkState>.Empty.Add(was.Id, was);

        var (next, changes) = Reconciler.DiffLinks(stored, new Dictionary<string, ConfirmedLink> { [was.Id] = Confirmed(was) }, Cycle(2), _ => true);

        var (link, kind) = Assert.Single(changes);
        Assert.Equal(TopologyChangeKind.Up, kind);
        Assert.Equal(LinkStatus.Up, next[was.Id].Status);
        Assert.Equal(Cycle(2), link.Since);
    }

    [Fact]
    public void An_up_link_no_longer_confirmed_goes_down()
    {
        var was = Stored("a", "eth1", "b", "eth2", LinkStatus.Up);
        var stored = ImmutableDictionary<string, LinkState>.Empty.Add(was.Id, was);

        var (next, changes) = Reconciler.DiffLinks(stored, new Dictionary<string, ConfirmedLink>(), Cycle(2), _ => true);

        var (link, kind) = Assert.Single(changes);
        Assert.Equal(TopologyChangeKind.Down, kind);
        Assert.Equal(LinkStatus.Down, next[was.Id].Status);
        Assert.Equal(Cycle(2), link.Since);
    }

    [Fact]
    public void A_link_owned_by_another_region_is_not_taken_down_here()
    {
        var was = Stored("a", "eth1", "z", "eth9", LinkStatus.Up);
        var stored = ImmutableDictionary<string, LinkState>.Empty.Add(was.Id, was);

        var (next, changes) = Reconciler.DiffLinks(stored, new Dictionary<string, ConfirmedLink>(), Cycle(2), device => device != "a");

        Assert.Empty(changes);
        Assert.Equal(LinkStatus.Up, next[was.Id].Status);
    }

    [Fact]
    public void An_unchanged_link_is_no_change()
    {
        var up = Stored("a", "eth1", "b", "eth2", LinkStatus.Up);
        var down = Stored("c", "eth1", "d", "eth2", LinkStatus.Down);
        var stored = ImmutableDictionary<string, LinkState>.Empty.Add(up.Id, up).Add(down.Id, down);

        var (next, changes) = Reconciler.DiffLinks(stored, new Dictionary<string, ConfirmedLink> { [up.Id] = Confirmed(up) }, Cycle(2), _ => true);

        Assert.Empty(changes);
        Assert.Equal(stored, next);
    }
}
