using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

internal static class TopologyAssertions
{
    /// <summary>Device names reachable from the first device over links.</summary>
    public static HashSet<string> Reachable(SimulatedTopology topology)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (topology.Devices.IsEmpty)
        {
            return seen;
        }

        var queue = new Queue<string>();
        queue.Enqueue(topology.Devices[0].Name);
        seen.Add(topology.Devices[0].Name);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            foreach (var link in topology.LinksOf(name))
            {
                var other = link.ADevice == name ? link.BDevice : link.ADevice;
                if (seen.Add(other))
                {
                    queue.Enqueue(other);
                }
            }
        }

        return seen;
    }

    /// <summary>A flat text form of the whole topology, for comparing two topologies value by value.</summary>
    public static string Fingerprint(SimulatedTopology topology)
    {
        var lines = new List<string>();
        foreach (var d in topology.Devices)
        {
            lines.Add($"{d.Name}|{d.Region}|{d.ChassisId}|{d.Vendor}|{d.Model}|{d.OsVersion}|{d.ManagementAddress}|{d.Role}|{d.Latitude}|{d.Longitude}");
            lines.AddRange(d.Interfaces.Select(i => $"  {i.Index}|{i.Name}|{i.Mac}|{i.SpeedBps}"));
        }

        lines.AddRange(topology.Links.Select(l => l.ToString()));
        return string.Join('\n', lines);
    }

    /// <summary>Finds the folder holding PDSNO.sln by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PDSNO.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No PDSNO.sln above {AppContext.BaseDirectory}.");
    }
}
