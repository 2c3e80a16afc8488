using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Regions;

namespace Pdsno.Grains.Regions;

/// <summary>
/// The region's discovery bookkeeping, free of Orleans: which controller answers for which device, how many
/// cycles in a row each device was missed, and which links both of their ends confirm.
/// </summary>
/// <remarks>
/// A device is judged by the controller that saw it last (its primary): when that controller finishes a
/// cycle without seeing it, and nobody else saw it since that cycle began, the device missed a cycle. So a
/// device seen by two controllers is one device, and it is missed only when neither sees it.
/// </remarks>
public sealed class Reconciler
{
    private readonly Dictionary<string, Tracked> _devices = new(StringComparer.Ordinal);

    /// <summary>Starts tracking a device known from durable state, before any controller has reported on it.</summary>
    public void Know(string device, string? primaryController)
    {
        if (!_devices.ContainsKey(device))
        {
            _devices[device] = new Tracked { Primary = primaryController, LastSeen = DateTimeOffset.MinValue };
        }
    }

    /// <summary>All tracked devices.</summary>
    public IEnumerable<string> Devices => _devices.Keys;

    /// <summary>True when the device is tracked.</summary>
    public bool Knows(string device) => _devices.ContainsKey(device);

    /// <summary>The missed-cycle count of a device (0 when seen in its primary's latest cycle).</summary>
    public int MissedCycles(string device) => _devices.TryGetValue(device, out var t) ? t.Missed : 0;

    /// <summary>
    /// Records that <paramref name="controller"/> saw the device in the cycle that began at <paramref name="cycleStart"/>,
    /// with its neighbours, interface speeds and the interfaces it reported operationally down. A link on a down
    /// interface is down even while a neighbour table still lists the far end (LLDP entries live until their TTL).
    /// </summary>
    public void Seen(
        string device, string controller, DateTimeOffset cycleStart, ImmutableArray<Neighbor> neighbors, IReadOnlyDictionary<string, long> interfaceSpeeds,
        IReadOnlySet<string>? downInterfaces = null)
    {
        if (!_devices.TryGetValue(device, out var t))
        {
            _devices[device] = t = new Tracked();
        }

        t.Primary = controller;
        t.LastSeen = cycleStart > t.LastSeen ? cycleStart : t.LastSeen;
        t.Missed = 0;
        t.Neighbors = neighbors;
        t.Speeds = interfaceSpeeds;
        t.Down = downInterfaces ?? ImmutableHashSet<string>.Empty;
    }

    /// <summary>
    /// Ends a complete cycle of <paramref name="controller"/>: every device it answers for that it did not
    /// see, and that nobody saw since the cycle began, has missed one more cycle. Returns those devices.
    /// </summary>
    public IReadOnlyList<(string Device, int Missed)> EndCycle(string controller, DateTimeOffset cycleStart)
    {
        var missed = new List<(string, int)>();
        foreach (var (device, t) in _devices)
        {
            if ((t.Primary is null || t.Primary == controller) && t.LastSeen < cycleStart)
            {
                t.Primary = controller;
                t.Missed++;
                t.Neighbors = [];
                missed.Add((device, t.Missed));
            }
        }

        return missed;
    }

    /// <summary>The neighbours a device confirms now: the latest it reported, or none while it is being missed.</summary>
    public ImmutableArray<Neighbor> NeighborsOf(string device) =>
        _devices.TryGetValue(device, out var t) && t.Missed == 0 ? t.Neighbors : [];

    /// <summary>
    /// The links this region owns and whether both ends confirm them. A link is owned by the region of its
    /// lower-keyed end, so a link between two regions is reconciled exactly once.
    /// </summary>
    /// <param name="deviceKeyOfChassis">Maps a remote chassis id to the device key of the remote end.</param>
    /// <param name="foreignNeighbors">Neighbour tables of devices outside the region that owned links point at.</param>
    public Dictionary<string, ConfirmedLink> ConfirmedLinks(Func<string, string> deviceKeyOfChassis, IReadOnlyDictionary<string, ImmutableArray<Neighbor>> foreignNeighbors)
    {
        var links = new Dictionary<string, ConfirmedLink>(StringComparer.Ordinal);
        foreach (var (device, t) in _devices)
        {
            if (t.Missed > 0)
            {
                continue;
            }

            foreach (var n in t.Neighbors)
            {
                var remote = deviceKeyOfChassis(n.RemoteChassisId);
                if (remote == device || !OwnsLink(device, remote) || t.Down.Contains(n.LocalInterface)
                    || (_devices.TryGetValue(remote, out var far) && far.Missed == 0 && far.Down.Contains(n.RemotePort)))
                {
                    continue;
                }

                var remoteNeighbors = _devices.ContainsKey(remote)
                    ? NeighborsOf(remote)
                    : foreignNeighbors.GetValueOrDefault(remote, []);
                var confirmed = remoteNeighbors.Any(r => r.LocalInterface == n.RemotePort && deviceKeyOfChassis(r.RemoteChassisId) == device && r.RemotePort == n.LocalInterface);
                if (!confirmed)
                {
                    continue;
                }

                var id = LinkId(device, n.LocalInterface, remote, n.RemotePort);
                var speed = t.Speeds.GetValueOrDefault(n.LocalInterface);
                if (_devices.TryGetValue(remote, out var r2) && r2.Speeds.TryGetValue(n.RemotePort, out var remoteSpeed) && remoteSpeed > 0)
                {
                    speed = speed == 0 ? remoteSpeed : Math.Min(speed, remoteSpeed);
                }

                var (a, ia, b, ib) = Ordered(device, n.LocalInterface, remote, n.RemotePort);
                links[id] = new ConfirmedLink(id, a, ia, b, ib, speed);
            }
        }

        return links;
    }

    /// <summary>Remote devices outside the region that owned half-links point at.</summary>
    public IReadOnlySet<string> ForeignPeers(Func<string, string> deviceKeyOfChassis)
    {
        var peers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (device, t) in _devices)
        {
            if (t.Missed > 0)
            {
                continue;
            }

            foreach (var n in t.Neighbors)
            {
                var remote = deviceKeyOfChassis(n.RemoteChassisId);
                if (remote != device && !_devices.ContainsKey(remote) && OwnsLink(device, remote))
                {
                    peers.Add(remote);
                }
            }
        }

        return peers;
    }

    /// <summary>Compares confirmed links with the stored ones and returns the next link table and what changed.</summary>
    public static (ImmutableDictionary<string, LinkState> Next, List<(LinkState Link, TopologyChangeKind Kind)> Changes) DiffLinks(
        ImmutableDictionary<string, LinkState> stored, IReadOnlyDictionary<string, ConfirmedLink> confirmed, DateTimeOffset now, Func<string, bool> ownedHere)
    {
        var next = stored.ToBuilder();
        var changes = new List<(LinkState, TopologyChangeKind)>();
        foreach (var c in confirmed.Values.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            if (!stored.TryGetValue(c.Id, out var was))
            {
                var added = new LinkState(c.Id, c.DeviceA, c.InterfaceA, c.DeviceB, c.InterfaceB, c.SpeedBps, LinkStatus.Up, now);
                next[c.Id] = added;
                changes.Add((added, TopologyChangeKind.Added));
            }
            else if (was.Status == LinkStatus.Down)
            {
                var up = was with { Status = LinkStatus.Up, Since = now, SpeedBps = c.SpeedBps };
                next[c.Id] = up;
                changes.Add((up, TopologyChangeKind.Up));
            }
            else if (was.SpeedBps != c.SpeedBps && c.SpeedBps > 0)
            {
                next[c.Id] = was with { SpeedBps = c.SpeedBps };
            }
        }

        foreach (var was in stored.Values.OrderBy(l => l.Id, StringComparer.Ordinal))
        {
            if (was.Status == LinkStatus.Up && !confirmed.ContainsKey(was.Id) && ownedHere(was.DeviceA))
            {
                var down = was with { Status = LinkStatus.Down, Since = now };
                next[was.Id] = down;
                changes.Add((down, TopologyChangeKind.Down));
            }
        }

        return (next.ToImmutable(), changes);
    }

    /// <summary>The id of the link between two interfaces, the same from either end.</summary>
    public static string LinkId(string deviceA, string interfaceA, string deviceB, string interfaceB)
    {
        var (a, ia, b, ib) = Ordered(deviceA, interfaceA, deviceB, interfaceB);
        return $"{a}:{ia}|{b}:{ib}";
    }

    private static bool OwnsLink(string localDevice, string remoteDevice) => string.CompareOrdinal(localDevice, remoteDevice) < 0;

    private static (string, string, string, string) Ordered(string a, string ia, string b, string ib) =>
        string.CompareOrdinal(a, b) <= 0 ? (a, ia, b, ib) : (b, ib, a, ia);

    private sealed class Tracked
    {
        public string? Primary { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public int Missed { get; set; }

        public ImmutableArray<Neighbor> Neighbors { get; set; } = [];

        public IReadOnlyDictionary<string, long> Speeds { get; set; } = ImmutableDictionary<string, long>.Empty;

        public IReadOnlySet<string> Down { get; set; } = ImmutableHashSet<string>.Empty;
    }
}

/// <summary>A link both of whose ends confirm each other, ends in canonical order.</summary>
public sealed record ConfirmedLink(string Id, string DeviceA, string InterfaceA, string DeviceB, string InterfaceB, long SpeedBps);

/// <summary>What happened to a link.</summary>
public enum TopologyChangeKind
{
    /// <summary>Seen for the first time.</summary>
    Added,

    /// <summary>Came back.</summary>
    Up,

    /// <summary>Went down.</summary>
    Down,
}
