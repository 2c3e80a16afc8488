namespace Pdsno.Grains.Intents;

/// <summary>
/// What a path may use: links with <see cref="BandwidthBps"/> free (capacity minus <see cref="Reserved"/>, or minus the
/// link's forecast load when that is larger: <see cref="CapacityLedger.Used"/>), at most
/// <see cref="MaxHops"/> links, none of the excluded links, devices or regions, only devices of <see cref="Within"/>
/// when set. Sets are of graph indexes.
/// </summary>
public sealed class PathConstraints
{
    /// <summary>The bandwidth every link must have free.</summary>
    public long BandwidthBps { get; init; }

    /// <summary>The most links the path may have.</summary>
    public int MaxHops { get; init; } = int.MaxValue;

    /// <summary>The reserved bandwidth per link the search reads (the ledger's, or a what-if copy).</summary>
    public required long[] Reserved { get; init; }

    /// <summary>Links the path may not use.</summary>
    public HashSet<int> ExcludedLinks { get; init; } = [];

    /// <summary>Devices the path may not pass through (the endpoints excepted only when listed in <see cref="ExcludedDevices"/> by mistake: callers reject that).</summary>
    public HashSet<int> ExcludedDevices { get; init; } = [];

    /// <summary>Regions whose devices the path may not pass through.</summary>
    public HashSet<int> ExcludedRegions { get; init; } = [];

    /// <summary>When set, the only regions the path's devices may be in.</summary>
    public HashSet<int>? Within { get; init; }

    /// <summary>Links to treat as DOWN (a failure preview).</summary>
    public HashSet<int>? FailedLinks { get; init; }

    /// <summary>Devices to treat as not ACTIVE (a failure preview).</summary>
    public HashSet<int>? FailedDevices { get; init; }
}

/// <summary>
/// Shortest paths in hops over the graph's usable links under <see cref="PathConstraints"/>: a breadth-first search
/// whose work arrays are kept between searches (stamped, not cleared), so a search allocates only its result.
/// Neighbours are visited in adjacency order, so the same graph gives the same path.
/// </summary>
public sealed class PathFinder(TopologyGraph graph, CapacityLedger ledger)
{
    private int[] _stamp = [];
    private int[] _via = [];
    private int[] _depth = [];
    private int[] _queue = [];
    private int _generation;

    /// <summary>The links of a shortest path from <paramref name="from"/> to <paramref name="to"/>, or null.</summary>
    public int[]? Find(int from, int to, PathConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        if (from == to || !DeviceAllowed(from, constraints) || !DeviceAllowed(to, constraints))
        {
            return null;
        }

        Prepare();
        var generation = ++_generation;
        int head = 0, tail = 0;
        _queue[tail++] = from;
        _stamp[from] = generation;
        _via[from] = -1;
        _depth[from] = 0;
        while (head < tail)
        {
            var device = _queue[head++];
            if (_depth[device] >= constraints.MaxHops)
            {
                continue;
            }

            foreach (var link in graph.LinksOf(device))
            {
                var next = graph.Other(link, device);
                if (_stamp[next] == generation || !LinkAllowed(link, constraints) || !DeviceAllowed(next, constraints))
                {
                    continue;
                }

                _stamp[next] = generation;
                _via[next] = link;
                _depth[next] = _depth[device] + 1;
                if (next == to)
                {
                    return Walk(to, from);
                }

                _queue[tail++] = next;
            }
        }

        return null;
    }

    /// <summary>The devices along a path of links starting at <paramref name="from"/>.</summary>
    public int[] Devices(int from, int[] links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var devices = new int[links.Length + 1];
        devices[0] = from;
        for (var i = 0; i < links.Length; i++)
        {
            devices[i + 1] = graph.Other(links[i], devices[i]);
        }

        return devices;
    }

    private bool LinkAllowed(int link, PathConstraints c)
    {
        if (!graph.IsUsable(link) || c.ExcludedLinks.Contains(link) || c.FailedLinks?.Contains(link) == true)
        {
            return false;
        }

        if (c.BandwidthBps <= 0)
        {
            return true;
        }

        var reserved = link < c.Reserved.Length ? c.Reserved[link] : 0;
        return ledger.Capacity(graph.Link(link).SpeedBps) - ledger.Used(link, reserved) >= c.BandwidthBps;
    }

    private bool DeviceAllowed(int device, PathConstraints c)
    {
        if (!graph.IsActive(device) || c.ExcludedDevices.Contains(device) || c.FailedDevices?.Contains(device) == true)
        {
            return false;
        }

        var region = graph.Device(device).Region;
        return !c.ExcludedRegions.Contains(region) && (c.Within is null || c.Within.Contains(region));
    }

    private int[] Walk(int to, int from)
    {
        var hops = _depth[to];
        var links = new int[hops];
        var at = to;
        for (var i = hops - 1; i >= 0; i--)
        {
            links[i] = _via[at];
            at = graph.Other(_via[at], at);
        }

        System.Diagnostics.Debug.Assert(at == from, "a path walks back to its start");
        return links;
    }

    private void Prepare()
    {
        var n = graph.DeviceCount;
        if (_stamp.Length >= n)
        {
            return;
        }

        var size = Math.Max(n, _stamp.Length * 2);
        _stamp = new int[size];
        _via = new int[size];
        _depth = new int[size];
        _queue = new int[size];
        _generation = 0;
    }
}
