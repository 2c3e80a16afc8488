namespace Pdsno.Storage.ReadModel;

/// <summary>Breadth-first shortest path (fewest links) over a set of links; ties go to the lowest link key, so answers are repeatable.</summary>
public static class ShortestPath
{
    /// <summary>The path from <paramref name="from"/> to <paramref name="to"/> over <paramref name="links"/>, or null when unreachable.</summary>
    public static PathRecord? Find(IEnumerable<LinkRecord> links, string from, string to)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (from == to)
        {
            return new PathRecord(from, to, [new PathHopRecord(from, null, null)]);
        }

        var adjacency = new Dictionary<string, List<LinkRecord>>(StringComparer.Ordinal);
        foreach (var link in links.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            Add(link.DeviceA, link);
            if (link.DeviceB != link.DeviceA)
            {
                Add(link.DeviceB, link);
            }
        }

        var cameBy = new Dictionary<string, (string Previous, LinkRecord Link)>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var queue = new Queue<string>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            var device = queue.Dequeue();
            if (!adjacency.TryGetValue(device, out var edges))
            {
                continue;
            }

            foreach (var link in edges)
            {
                var next = link.FarEndFrom(device).Device;
                if (!seen.Add(next))
                {
                    continue;
                }

                cameBy[next] = (device, link);
                if (next == to)
                {
                    return Walk(cameBy, from, to);
                }

                queue.Enqueue(next);
            }
        }

        return null;

        void Add(string device, LinkRecord link)
        {
            if (!adjacency.TryGetValue(device, out var list))
            {
                adjacency[device] = list = [];
            }

            list.Add(link);
        }
    }

    private static PathRecord Walk(Dictionary<string, (string Previous, LinkRecord Link)> cameBy, string from, string to)
    {
        var hops = new List<PathHopRecord> { new(to, null, null) };
        var device = to;
        while (device != from)
        {
            var (previous, link) = cameBy[device];
            hops.Add(new PathHopRecord(previous, link.FarEndFrom(previous).LocalInterface, link));
            device = previous;
        }

        hops.Reverse();
        return new PathRecord(from, to, hops);
    }
}
