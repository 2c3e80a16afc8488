using System.Collections.Immutable;

namespace Pdsno.Discovery.Simulation;

/// <summary>A validated, immutable set of simulated devices and the links between them.</summary>
public sealed class SimulatedTopology
{
    private readonly Dictionary<string, int> _deviceOrdinals;
    private readonly List<SimLink>?[] _linksByDevice;

    public SimulatedTopology(IEnumerable<SimDevice> devices, IEnumerable<SimLink> links)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(links);

        Devices = [.. devices];
        Links = [.. links];
        _deviceOrdinals = new Dictionary<string, int>(Devices.Length, StringComparer.Ordinal);
        _linksByDevice = new List<SimLink>?[Devices.Length];

        // Interfaces are numbered globally (first interface of device i is at interfaceOffsets[i]) so that
        // "already in a link" is an array lookup instead of a hash of two strings; this matters at 100,000 devices.
        var interfaceOffsets = new int[Devices.Length];
        var interfaceCount = 0;

        var chassisOwners = new Dictionary<string, string>(Devices.Length, StringComparer.OrdinalIgnoreCase);
        var interfaceNames = new HashSet<string>(StringComparer.Ordinal);
        var regions = new SortedSet<string>(StringComparer.Ordinal);
        for (var ordinal = 0; ordinal < Devices.Length; ordinal++)
        {
            var device = Devices[ordinal];
            if (device is null)
            {
                throw new ArgumentException("The device list contains a null device.");
            }

            if (string.IsNullOrWhiteSpace(device.Name))
            {
                throw new ArgumentException($"A device with chassis id '{device.ChassisId}' has no name.");
            }

            if (!_deviceOrdinals.TryAdd(device.Name, ordinal))
            {
                throw new ArgumentException($"Duplicate device name '{device.Name}'.");
            }

            if (!chassisOwners.TryAdd(device.ChassisId, device.Name))
            {
                throw new ArgumentException(
                    $"Device '{device.Name}' has chassis id {device.ChassisId}, already used by device '{chassisOwners[device.ChassisId]}'.");
            }

            interfaceOffsets[ordinal] = interfaceCount;
            interfaceCount += device.Interfaces.Length;
            interfaceNames.Clear();
            foreach (var iface in device.Interfaces)
            {
                if (!interfaceNames.Add(iface.Name))
                {
                    throw new ArgumentException(
                        $"Device '{device.Name}' has more than one interface named '{iface.Name}'.");
                }
            }

            regions.Add(device.Region);
        }

        Regions = [.. regions];

        var usedInterfaces = new bool[interfaceCount];
        for (var i = 0; i < Links.Length; i++)
        {
            var link = Links[i] ?? throw new ArgumentException($"Link {i} is null.");
            var (a, aSlot) = RequireInterface(link, link.ADevice, link.AInterface);
            var (b, bSlot) = RequireInterface(link, link.BDevice, link.BInterface);
            if (usedInterfaces[interfaceOffsets[a] + aSlot])
            {
                throw new ArgumentException(
                    $"Interface {link.ADevice}:{link.AInterface} is in more than one link ({Describe(link)}).");
            }

            usedInterfaces[interfaceOffsets[a] + aSlot] = true;
            if (usedInterfaces[interfaceOffsets[b] + bSlot])
            {
                throw new ArgumentException(
                    $"Interface {link.BDevice}:{link.BInterface} is in more than one link ({Describe(link)}).");
            }

            usedInterfaces[interfaceOffsets[b] + bSlot] = true;
            AddLinkOf(a, link);
            if (a != b)
            {
                AddLinkOf(b, link);
            }
        }
    }

    public ImmutableArray<SimDevice> Devices { get; }

    public ImmutableArray<SimLink> Links { get; }

    /// <summary>Distinct region names, sorted ordinally.</summary>
    public ImmutableArray<string> Regions { get; }

    public SimDevice? FindDevice(string name) =>
        name is not null && _deviceOrdinals.TryGetValue(name, out var ordinal) ? Devices[ordinal] : null;

    public IReadOnlyList<SimLink> LinksOf(string deviceName) =>
        deviceName is not null && _deviceOrdinals.TryGetValue(deviceName, out var ordinal) && _linksByDevice[ordinal] is { } links
            ? links.AsReadOnly()
            : [];

    /// <summary>Returns the union of both topologies; a device name or chassis id present in both is an error.</summary>
    /// <remarks>A tenant's simulated network does not merge its parts this way: names there are unique per region only (see <see cref="SimulatedNetworkModel"/>).</remarks>
    public SimulatedTopology Merge(SimulatedTopology other)
    {
        ArgumentNullException.ThrowIfNull(other);

        var chassisOwners = new Dictionary<string, string>(Devices.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var device in Devices)
        {
            chassisOwners[device.ChassisId] = device.Name;
        }

        foreach (var device in other.Devices)
        {
            if (_deviceOrdinals.ContainsKey(device.Name))
            {
                throw new ArgumentException($"Cannot merge: device name '{device.Name}' exists in both topologies.");
            }

            if (chassisOwners.TryGetValue(device.ChassisId, out var owner))
            {
                throw new ArgumentException(
                    $"Cannot merge: device '{device.Name}' has chassis id {device.ChassisId}, already used by device '{owner}'.");
            }
        }

        return new SimulatedTopology(Devices.Concat(other.Devices), Links.Concat(other.Links));
    }

    /// <summary>The device's ordinal and the interface's position on it.</summary>
    private (int Device, int Slot) RequireInterface(SimLink link, string deviceName, string interfaceName)
    {
        if (deviceName is null || !_deviceOrdinals.TryGetValue(deviceName, out var ordinal))
        {
            throw new ArgumentException($"Link {Describe(link)} references unknown device '{deviceName}'.");
        }

        // A linear scan beats a per-device index here: devices have tens of interfaces, and most are looked up once.
        var interfaces = Devices[ordinal].Interfaces;
        for (var slot = 0; slot < interfaces.Length; slot++)
        {
            if (string.Equals(interfaces[slot].Name, interfaceName, StringComparison.Ordinal))
            {
                return (ordinal, slot);
            }
        }

        throw new ArgumentException(
            $"Link {Describe(link)} references interface '{interfaceName}', which device '{deviceName}' does not have.");
    }

    private void AddLinkOf(int ordinal, SimLink link) => (_linksByDevice[ordinal] ??= new List<SimLink>(4)).Add(link);

    private static string Describe(SimLink link) =>
        $"{link.ADevice}:{link.AInterface} - {link.BDevice}:{link.BInterface}";
}
