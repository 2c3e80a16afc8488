using System.Collections.Immutable;
using Pdsno.Abstractions.Simulation;

namespace Pdsno.Discovery.Simulation;

/// <summary>
/// A tenant's simulated network ready to answer discovery: the topology of each part, with each device's link ends
/// and per-direction traffic rates worked out once. A device name is unique within its region, not within the
/// tenant (two imported networks may both have a "new-york"), so devices are keyed by <see cref="SimDevice.Key"/>.
/// </summary>
public sealed class SimulatedNetworkModel
{
    private readonly Dictionary<string, ImmutableArray<SimDevice>> _byRegion;
    private readonly Dictionary<string, SimDevice> _byKey;
    private readonly Dictionary<string, Dictionary<string, LinkEnd>> _ends;

    private SimulatedNetworkModel(long version, ImmutableArray<SimulatedTopology> parts)
    {
        Version = version;
        Parts = parts;
        Devices = [.. parts.SelectMany(p => p.Devices)];
        Regions = [.. Devices.Select(d => d.Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _byRegion = Devices.GroupBy(d => d.Region, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _byKey = Devices.ToDictionary(d => d.Key, StringComparer.Ordinal);
        _ends = new Dictionary<string, Dictionary<string, LinkEnd>>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            // A part's links join devices of that part only, where names are unique.
            foreach (var link in part.Links)
            {
                var a = part.FindDevice(link.ADevice)!;
                var b = part.FindDevice(link.BDevice)!;
                var key = SimulatedFaults.LinkKey(a.Key, link.AInterface, b.Key, link.BInterface);
                var hash = AddressPlan.StableHash(key);
                // Utilisation between 2% and 62% of the link speed, different in each direction.
                var aToB = link.SpeedBps * (0.02 + (hash % 600) / 1000.0);
                var bToA = link.SpeedBps * (0.02 + ((hash >> 20) % 600) / 1000.0);
                End(a.Key)[link.AInterface] = new LinkEnd(key, b, link.BInterface, aToB / 8, bToA / 8);
                End(b.Key)[link.BInterface] = new LinkEnd(key, a, link.AInterface, bToA / 8, aToB / 8);
            }
        }
    }

    /// <summary>The definition version the model was built from.</summary>
    public long Version { get; }

    /// <summary>The topology of each part, in definition order.</summary>
    public ImmutableArray<SimulatedTopology> Parts { get; }

    /// <summary>Every device of every part.</summary>
    public ImmutableArray<SimDevice> Devices { get; }

    /// <summary>Distinct region names, sorted ordinally.</summary>
    public ImmutableArray<string> Regions { get; }

    /// <summary>Every link of every part, with the devices at its ends.</summary>
    public IEnumerable<(SimDevice A, SimLink Link, SimDevice B)> Links =>
        Parts.SelectMany(p => p.Links.Select(l => (p.FindDevice(l.ADevice)!, l, p.FindDevice(l.BDevice)!)));

    /// <summary>Builds the model of a definition; throws <see cref="ArgumentException"/> when a part is invalid or parts collide.</summary>
    public static SimulatedNetworkModel Build(SimulatedNetworkDefinition definition) => Build(definition, int.MaxValue, CancellationToken.None);

    /// <summary>
    /// Builds the model of a definition whose imports have at most <paramref name="maxNodesPerImport"/> nodes each.
    /// Throws <see cref="ArgumentException"/> when a part is invalid or parts collide (a device name twice in one region,
    /// a chassis id twice in the tenant), <see cref="FormatException"/> for malformed GML and
    /// <see cref="ImportLimitException"/> for an import over the limit.
    /// </summary>
    public static SimulatedNetworkModel Build(SimulatedNetworkDefinition definition, int maxNodesPerImport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var parts = ImmutableArray.CreateBuilder<SimulatedTopology>(definition.Parts.Length);
        var owners = new Dictionary<string, (string Part, SimDevice Device)>(StringComparer.Ordinal);
        var chassisOwners = new Dictionary<string, (string Part, SimDevice Device)>(StringComparer.OrdinalIgnoreCase);
        var usedSalts = new HashSet<(ulong Salt, int Extension)>();
        foreach (var part in definition.Parts)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Parts are kept in the order they were first put and never removed, so the first part with a salt keeps the
            // addresses it always had and a later namesake (by hash) steps to the next free extension.
            var salt = AddressPlan.SaltOf(SaltSourceOf(part));
            var extension = 0;
            while (!usedSalts.Add((salt, extension)))
            {
                if (++extension > AddressPlan.MaxSaltExtension)
                {
                    throw new ArgumentException($"part '{part.Name}': too many parts share its address salt; rename it");
                }
            }

            var piece = BuildPart(part, maxNodesPerImport, extension, cancellationToken);
            foreach (var device in piece.Devices)
            {
                if (!owners.TryAdd(device.Key, (part.Name, device)))
                {
                    throw new ArgumentException(
                        $"region '{device.Region}' already has a device named '{device.Name}' (from part '{owners[device.Key].Part}')");
                }

                if (!chassisOwners.TryAdd(device.ChassisId, (part.Name, device)))
                {
                    var (otherPart, other) = chassisOwners[device.ChassisId];
                    throw new ArgumentException(
                        $"device '{device.Name}' in region '{device.Region}' has chassis id {device.ChassisId}, already used by device '{other.Name}' in region '{other.Region}' (from part '{otherPart}')");
                }
            }

            parts.Add(piece);
        }

        return new SimulatedNetworkModel(definition.Version, parts.MoveToImmutable());
    }

    /// <summary>The topology of one part.</summary>
    public static SimulatedTopology BuildPart(SimulatedNetworkPart part) => BuildPart(part, int.MaxValue, 0, CancellationToken.None);

    /// <summary>The topology of one part, with the address salt extension the tenant's model gave it.</summary>
    public static SimulatedTopology BuildPart(SimulatedNetworkPart part, int maxNodesPerImport, int saltExtension, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part);
        return part.GmlText is not null
            ? TopologyZooImporter.Import(part.GmlText, part.ImportRegion ?? part.Name, part.Name, maxNodesPerImport, saltExtension, cancellationToken).Topology
            : SeededTopologyGenerator.Generate(part.Seed, part.DeviceCount, part.RegionCount, GeneratedPrefix(part), saltExtension);
    }

    /// <summary>The devices of a region.</summary>
    public ImmutableArray<SimDevice> DevicesIn(string region) => _byRegion.GetValueOrDefault(region, []);

    /// <summary>The device with this key (<see cref="SimDevice.Key"/>), if any.</summary>
    public SimDevice? FindDevice(string key) => key is not null && _byKey.TryGetValue(key, out var device) ? device : null;

    /// <summary>Every device with this name, in any region.</summary>
    public IEnumerable<SimDevice> DevicesNamed(string name) => Devices.Where(d => string.Equals(d.Name, name, StringComparison.Ordinal));

    /// <summary>The link end on an interface of a device, if the interface is cabled.</summary>
    public LinkEnd? EndOf(SimDevice device, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(device);
        return _ends.TryGetValue(device.Key, out var ends) && ends.TryGetValue(interfaceName, out var end) ? end : null;
    }

    private static string GeneratedPrefix(SimulatedNetworkPart part) => part.Name == "default" ? "" : part.Name + "-";

    private static ulong SaltSourceOf(SimulatedNetworkPart part) => part.GmlText is not null
        ? TopologyZooImporter.SaltSource(part.Name)
        : SeededTopologyGenerator.SaltSource(part.Seed, GeneratedPrefix(part));

    private Dictionary<string, LinkEnd> End(string deviceKey)
    {
        if (!_ends.TryGetValue(deviceKey, out var ends))
        {
            _ends[deviceKey] = ends = new Dictionary<string, LinkEnd>(StringComparer.Ordinal);
        }

        return ends;
    }
}

/// <summary>Where a cabled interface leads (the key is a <see cref="SimulatedFaults.LinkKey"/>), and the bytes per second it sends and receives.</summary>
public sealed record LinkEnd(string Key, SimDevice Peer, string PeerInterface, double OutBytesPerSecond, double InBytesPerSecond);
