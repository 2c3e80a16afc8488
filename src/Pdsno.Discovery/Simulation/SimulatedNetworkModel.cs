using System.Collections.Immutable;
using Pdsno.Abstractions.Simulation;

namespace Pdsno.Discovery.Simulation;

/// <summary>
/// A tenant's simulated network ready to answer discovery: the topology built from the definition, with
/// each device's link ends and per-direction traffic rates worked out once.
/// </summary>
public sealed class SimulatedNetworkModel
{
    private readonly Dictionary<string, ImmutableArray<SimDevice>> _byRegion;
    private readonly Dictionary<string, Dictionary<string, LinkEnd>> _ends;

    private SimulatedNetworkModel(long version, SimulatedTopology topology)
    {
        Version = version;
        Topology = topology;
        _byRegion = topology.Devices.GroupBy(d => d.Region, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _ends = new Dictionary<string, Dictionary<string, LinkEnd>>(StringComparer.Ordinal);
        foreach (var link in topology.Links)
        {
            var a = topology.FindDevice(link.ADevice)!;
            var b = topology.FindDevice(link.BDevice)!;
            var key = SimulatedFaults.LinkKey(link.ADevice, link.AInterface, link.BDevice, link.BInterface);
            var hash = AddressPlan.StableHash(key);
            // Utilisation between 2% and 62% of the link speed, different in each direction.
            var aToB = link.SpeedBps * (0.02 + (hash % 600) / 1000.0);
            var bToA = link.SpeedBps * (0.02 + ((hash >> 20) % 600) / 1000.0);
            End(link.ADevice)[link.AInterface] = new LinkEnd(key, b, link.BInterface, aToB / 8, bToA / 8);
            End(link.BDevice)[link.BInterface] = new LinkEnd(key, a, link.AInterface, bToA / 8, aToB / 8);
        }
    }

    /// <summary>The definition version the model was built from.</summary>
    public long Version { get; }

    /// <summary>The whole topology.</summary>
    public SimulatedTopology Topology { get; }

    /// <summary>Builds the model of a definition; throws when a part is invalid or parts collide.</summary>
    public static SimulatedNetworkModel Build(SimulatedNetworkDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        SimulatedTopology? topology = null;
        foreach (var part in definition.Parts)
        {
            var piece = BuildPart(part);
            topology = topology is null ? piece : topology.Merge(piece);
        }

        return new SimulatedNetworkModel(definition.Version, topology ?? new SimulatedTopology([], []));
    }

    /// <summary>The topology of one part.</summary>
    public static SimulatedTopology BuildPart(SimulatedNetworkPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return part.GmlText is not null
            ? TopologyZooImporter.Import(part.GmlText, part.ImportRegion ?? part.Name, part.Name).Topology
            : SeededTopologyGenerator.Generate(part.Seed, part.DeviceCount, part.RegionCount, part.Name == "default" ? "" : part.Name + "-");
    }

    /// <summary>The devices of a region.</summary>
    public ImmutableArray<SimDevice> DevicesIn(string region) => _byRegion.GetValueOrDefault(region, []);

    /// <summary>The link end on an interface of a device, if the interface is cabled.</summary>
    public LinkEnd? EndOf(string device, string interfaceName) =>
        _ends.TryGetValue(device, out var ends) && ends.TryGetValue(interfaceName, out var end) ? end : null;

    private Dictionary<string, LinkEnd> End(string device)
    {
        if (!_ends.TryGetValue(device, out var ends))
        {
            _ends[device] = ends = new Dictionary<string, LinkEnd>(StringComparer.Ordinal);
        }

        return ends;
    }
}

/// <summary>Where a cabled interface leads, and the bytes per second it sends and receives.</summary>
public sealed record LinkEnd(string Key, SimDevice Peer, string PeerInterface, double OutBytesPerSecond, double InBytesPerSecond);
