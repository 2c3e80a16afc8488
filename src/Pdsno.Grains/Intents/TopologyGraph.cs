using System.Globalization;
using System.Runtime.InteropServices;
using Pdsno.Abstractions.Events;

namespace Pdsno.Grains.Intents;

/// <summary>A device as the topology graph keeps it; status is the stored upper-case name (ACTIVE, UNREACHABLE...).</summary>
public sealed record GraphDevice(string Key, string Region, string Name, string Role, string Vendor, string Address, string Status);

/// <summary>An interface as the topology graph keeps it.</summary>
public sealed record GraphInterface(string Device, string Name, long SpeedBps, bool AdminUp, bool OperUp);

/// <summary>A link as the topology graph keeps it.</summary>
public sealed record GraphLink(string Key, string DeviceA, string InterfaceA, string DeviceB, string InterfaceB, long SpeedBps, bool Up);

/// <summary>The whole topology of a tenant as of <see cref="Sequence"/> of its event log.</summary>
public sealed record TopologySnapshot(long Sequence, IReadOnlyList<GraphDevice> Devices, IReadOnlyList<GraphInterface> Interfaces, IReadOnlyList<GraphLink> Links);

/// <summary>
/// Events of the log after some sequence, in order, with the current rows of what the events that do not carry their
/// data name (devices added or changed with their interfaces, links added).
/// </summary>
public sealed record TopologyUpdate(IReadOnlyList<TopologyEvent> Events, IReadOnlyList<GraphDevice> Devices, IReadOnlyList<GraphInterface> Interfaces, IReadOnlyList<GraphLink> Links);

/// <summary>
/// A tenant's topology in memory for path computation: devices, their interfaces and links in compact arrays indexed by
/// int, with per-device adjacency, kept exactly up to a sequence of the tenant's event log. Indexes are never reused
/// (a removed interface is marked, not freed), so what holds an index (the ledger, compiled paths) stays valid.
/// </summary>
/// <remarks>Not thread-safe: one owner (the tenant's intent grain) reads and feeds it.</remarks>
public sealed class TopologyGraph
{
    private readonly Dictionary<string, int> _deviceIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _linkIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _regionIndex = new(StringComparer.Ordinal);
    private readonly List<string> _regions = [];
    private readonly List<DeviceNode> _devices = [];
    private readonly List<LinkNode> _links = [];
    private readonly List<List<int>> _adjacency = [];
    private readonly List<List<InterfaceNode>> _interfaces = [];

    // Links whose devices the graph does not know yet: the log may hold a link before an end device's first event.
    private readonly Dictionary<string, GraphLink> _pendingLinks = new(StringComparer.Ordinal);

    /// <summary>The last event-log sequence the graph reflects.</summary>
    public long Sequence { get; private set; }

    /// <summary>How many devices the graph has held (indexes 0 to this minus one).</summary>
    public int DeviceCount => _devices.Count;

    /// <summary>How many links the graph has held (indexes 0 to this minus one).</summary>
    public int LinkCount => _links.Count;

    /// <summary>A graph built from a snapshot.</summary>
    public static TopologyGraph From(TopologySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var graph = new TopologyGraph();
        foreach (var d in snapshot.Devices)
        {
            graph.UpsertDevice(d);
        }

        foreach (var i in snapshot.Interfaces)
        {
            graph.UpsertInterface(i);
        }

        foreach (var l in snapshot.Links)
        {
            graph.UpsertLink(l);
        }

        graph.Sequence = snapshot.Sequence;
        return graph;
    }

    /// <summary>The device's index, or -1.</summary>
    public int DeviceIndex(string key) => _deviceIndex.TryGetValue(key, out var i) ? i : -1;

    /// <summary>The link's index, or -1.</summary>
    public int LinkIndex(string key) => _linkIndex.TryGetValue(key, out var i) ? i : -1;

    /// <summary>The device at <paramref name="index"/>.</summary>
    public ref readonly DeviceNode Device(int index) => ref CollectionsMarshal.AsSpan(_devices)[index];

    /// <summary>The link at <paramref name="index"/>.</summary>
    public ref readonly LinkNode Link(int index) => ref CollectionsMarshal.AsSpan(_links)[index];

    /// <summary>The region name of a region index.</summary>
    public string Region(int index) => _regions[index];

    /// <summary>The region index of a region name, or -1 when no device has been in it.</summary>
    public int RegionIndex(string region) => _regionIndex.TryGetValue(region, out var i) ? i : -1;

    /// <summary>The links at a device, in the order they were first seen.</summary>
    public ReadOnlySpan<int> LinksOf(int device) => CollectionsMarshal.AsSpan(_adjacency[device]);

    /// <summary>The interfaces of a device that exist now.</summary>
    public IEnumerable<InterfaceNode> InterfacesOf(int device) => _interfaces[device].Where(i => !i.Removed);

    /// <summary>The interface of a device by name, or null.</summary>
    public InterfaceNode? Interface(int device, string name)
    {
        foreach (var i in _interfaces[device])
        {
            if (!i.Removed && i.Name == name)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>The device at the other end of a link.</summary>
    public int Other(int link, int device)
    {
        ref readonly var l = ref Link(link);
        return l.A == device ? l.B : l.A;
    }

    /// <summary>The interface of a link at one of its devices.</summary>
    public string InterfaceAt(int link, int device)
    {
        ref readonly var l = ref Link(link);
        return l.A == device ? l.InterfaceA : l.InterfaceB;
    }

    /// <summary>Whether a device is ACTIVE.</summary>
    public bool IsActive(int device) => Device(device).Active;

    /// <summary>Whether a link can carry an intent: it is UP and both its devices are ACTIVE.</summary>
    public bool IsUsable(int link)
    {
        ref readonly var l = ref Link(link);
        return l.Up && !l.Removed && Device(l.A).Active && Device(l.B).Active;
    }

    /// <summary>Adds or replaces a device (its interfaces and links stay).</summary>
    public int UpsertDevice(GraphDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var region = Intern(device.Region);
        var node = new DeviceNode(device.Key, region, device.Name, device.Role, device.Vendor, device.Address, IsActiveStatus(device.Status));
        if (_deviceIndex.TryGetValue(device.Key, out var index))
        {
            CollectionsMarshal.AsSpan(_devices)[index] = node;
            return index;
        }

        index = _devices.Count;
        _devices.Add(node);
        _adjacency.Add([]);
        _interfaces.Add([]);
        _deviceIndex[device.Key] = index;
        if (_pendingLinks.Count > 0)
        {
            foreach (var waiting in _pendingLinks.Values.Where(l => l.DeviceA == device.Key || l.DeviceB == device.Key).ToList())
            {
                UpsertLink(waiting);
            }
        }

        return index;
    }

    /// <summary>Adds or replaces an interface of a known device; false when the device is unknown.</summary>
    public bool UpsertInterface(GraphInterface value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var device = DeviceIndex(value.Device);
        if (device < 0)
        {
            return false;
        }

        var list = _interfaces[device];
        var node = new InterfaceNode(value.Name, value.SpeedBps, value.AdminUp, value.OperUp, false);
        var at = list.FindIndex(i => i.Name == value.Name);
        if (at >= 0)
        {
            list[at] = node;
        }
        else
        {
            list.Add(node);
        }

        return true;
    }

    /// <summary>Marks an interface removed.</summary>
    public void RemoveInterface(string deviceKey, string name)
    {
        var device = DeviceIndex(deviceKey);
        if (device < 0)
        {
            return;
        }

        var list = _interfaces[device];
        var at = list.FindIndex(i => i.Name == name);
        if (at >= 0)
        {
            list[at] = list[at] with { Removed = true };
        }
    }

    /// <summary>Adds or replaces a link; false when an end is not known yet (the link joins once both are).</summary>
    public bool UpsertLink(GraphLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var a = DeviceIndex(link.DeviceA);
        var b = DeviceIndex(link.DeviceB);
        if (a < 0 || b < 0)
        {
            _pendingLinks[link.Key] = link;
            return false;
        }

        _pendingLinks.Remove(link.Key);

        var node = new LinkNode(link.Key, a, link.InterfaceA, b, link.InterfaceB, link.SpeedBps, link.Up, false);
        if (_linkIndex.TryGetValue(link.Key, out var index))
        {
            CollectionsMarshal.AsSpan(_links)[index] = node;
            return true;
        }

        index = _links.Count;
        _links.Add(node);
        _linkIndex[link.Key] = index;
        _adjacency[a].Add(index);
        if (b != a)
        {
            _adjacency[b].Add(index);
        }

        return true;
    }

    /// <summary>Sets a link UP or DOWN; false when the link is unknown.</summary>
    public bool SetLinkUp(string key, bool up)
    {
        if (!_linkIndex.TryGetValue(key, out var index))
        {
            if (_pendingLinks.TryGetValue(key, out var waiting))
            {
                _pendingLinks[key] = waiting with { Up = up };
            }

            return false;
        }

        ref var l = ref CollectionsMarshal.AsSpan(_links)[index];
        l = l with { Up = up };
        return true;
    }

    /// <summary>Sets a device's status; false when the device is unknown.</summary>
    public bool SetDeviceStatus(string key, string status)
    {
        if (!_deviceIndex.TryGetValue(key, out var index))
        {
            return false;
        }

        ref var d = ref CollectionsMarshal.AsSpan(_devices)[index];
        d = d with { Active = IsActiveStatus(status) };
        return true;
    }

    /// <summary>
    /// Applies events after <see cref="Sequence"/> in order (older ones are skipped, so an update read twice changes
    /// nothing) and moves <see cref="Sequence"/> to the last. Returns what changed that intents care about.
    /// </summary>
    public TopologyDelta Apply(TopologyUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var delta = new TopologyDelta();
        var devices = update.Devices.ToDictionary(d => d.Key, StringComparer.Ordinal);
        var interfaces = update.Interfaces.ToLookup(i => i.Device, StringComparer.Ordinal);
        var links = update.Links.ToDictionary(l => l.Key, StringComparer.Ordinal);
        foreach (var e in update.Events)
        {
            if (e.Sequence <= Sequence)
            {
                continue;
            }

            ApplyOne(e, devices, interfaces, links, delta);
            Sequence = e.Sequence;
        }

        return delta;
    }

    /// <summary>True for the event types that change the graph; the others only move its sequence.</summary>
    public static bool Changes(TopologyEventType type) => type is TopologyEventType.DeviceAdded or TopologyEventType.DeviceChanged
        or TopologyEventType.DeviceStatusChanged or TopologyEventType.InterfaceAdded or TopologyEventType.InterfaceChanged
        or TopologyEventType.InterfaceRemoved or TopologyEventType.LinkAdded or TopologyEventType.LinkUp or TopologyEventType.LinkDown;

    private void ApplyOne(TopologyEvent e, Dictionary<string, GraphDevice> devices, ILookup<string, GraphInterface> interfaces, Dictionary<string, GraphLink> links, TopologyDelta delta)
    {
        switch (e.Type)
        {
            case TopologyEventType.DeviceAdded or TopologyEventType.DeviceChanged when e.Device is { } key && devices.TryGetValue(key, out var row):
                var wasActive = DeviceIndex(key) is var i && i >= 0 && IsActive(i);
                UpsertDevice(row);
                foreach (var x in interfaces[key])
                {
                    UpsertInterface(x);
                }

                delta.Note(wasActive, row.Status, key);
                break;
            case TopologyEventType.DeviceStatusChanged when e.Device is { } key && e.NewValue is { } status:
                var before = DeviceIndex(key) is var d && d >= 0 && IsActive(d);
                if (SetDeviceStatus(key, status))
                {
                    delta.Note(before, status, key);
                }

                break;
            case TopologyEventType.InterfaceAdded or TopologyEventType.InterfaceChanged when e.Device is { } key && e.Interface is { } name:
                UpsertInterface(ParseInterface(key, name, e.NewValue));
                delta.Improved |= e.Type == TopologyEventType.InterfaceChanged;
                break;
            case TopologyEventType.InterfaceRemoved when e.Device is { } key && e.Interface is { } name:
                RemoveInterface(key, name);
                break;
            case TopologyEventType.LinkAdded when e.Link is { } key && links.TryGetValue(key, out var link):
                UpsertLink(link);
                delta.Improved |= link.Up;
                break;
            case TopologyEventType.LinkUp when e.Link is { } key:
                delta.Improved |= SetLinkUp(key, true);
                break;
            case TopologyEventType.LinkDown when e.Link is { } key:
                if (SetLinkUp(key, false))
                {
                    delta.LinksDown.Add(key);
                }

                break;
        }
    }

    // Interface events carry "oper=UP admin=UP speed=1000000000".
    internal static GraphInterface ParseInterface(string device, string name, string? described)
    {
        bool oper = false, admin = false;
        long speed = 0;
        foreach (var part in (described ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var (k, v) = (part[..eq], part[(eq + 1)..]);
            switch (k)
            {
                case "oper":
                    oper = v == "UP";
                    break;
                case "admin":
                    admin = v == "UP";
                    break;
                case "speed":
                    _ = long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out speed);
                    break;
            }
        }

        return new GraphInterface(device, name, speed, admin, oper);
    }

    private static bool IsActiveStatus(string status) => string.Equals(status, "ACTIVE", StringComparison.OrdinalIgnoreCase);

    private int Intern(string region)
    {
        if (!_regionIndex.TryGetValue(region, out var index))
        {
            index = _regions.Count;
            _regions.Add(region);
            _regionIndex[region] = index;
        }

        return index;
    }
}

/// <summary>A device in the graph.</summary>
public readonly record struct DeviceNode(string Key, int Region, string Name, string Role, string Vendor, string Address, bool Active);

/// <summary>A link in the graph between device indexes <see cref="A"/> and <see cref="B"/>.</summary>
public readonly record struct LinkNode(string Key, int A, string InterfaceA, int B, string InterfaceB, long SpeedBps, bool Up, bool Removed);

/// <summary>An interface of a device in the graph.</summary>
public readonly record struct InterfaceNode(string Name, long SpeedBps, bool AdminUp, bool OperUp, bool Removed);

/// <summary>What a topology update changed that intents react to.</summary>
public sealed class TopologyDelta
{
    /// <summary>Links that went DOWN.</summary>
    public HashSet<string> LinksDown { get; } = new(StringComparer.Ordinal);

    /// <summary>Devices that left ACTIVE.</summary>
    public HashSet<string> DevicesDown { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether anything came up or was added (a FAILED intent may now compile).</summary>
    public bool Improved { get; set; }

    /// <summary>Whether an installed path may be broken.</summary>
    public bool Broke => LinksDown.Count > 0 || DevicesDown.Count > 0;

    internal void Note(bool wasActive, string status, string device)
    {
        var active = string.Equals(status, "ACTIVE", StringComparison.OrdinalIgnoreCase);
        if (wasActive && !active)
        {
            DevicesDown.Add(device);
        }

        Improved |= active && !wasActive;
    }
}
