using System.Collections.Immutable;

namespace Pdsno.Abstractions.Simulation;

/// <summary>One piece of a tenant's simulated network: generated from a seed, or imported from GML text.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.sim-part")]
public sealed record SimulatedNetworkPart(
    [property: Id(0)] string Name,
    [property: Id(1)] int Seed,
    [property: Id(2)] int DeviceCount,
    [property: Id(3)] int RegionCount,
    [property: Id(4)] string? GmlText,
    [property: Id(5)] string? ImportRegion)
{
    /// <summary>A generated part: <paramref name="devices"/> devices spread over <paramref name="regions"/> regions.</summary>
    public static SimulatedNetworkPart Generated(string name, int seed, int devices, int regions) => new(name, seed, devices, regions, null, null);

    /// <summary>An imported part: the devices of a GML file, all in <paramref name="region"/>.</summary>
    public static SimulatedNetworkPart Imported(string name, string gmlText, string region) => new(name, 0, 0, 0, gmlText, region);
}

/// <summary>The whole simulated network of a tenant: its parts in order. Every silo builds the same model from it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.sim-definition")]
public sealed record SimulatedNetworkDefinition(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<SimulatedNetworkPart> Parts);

/// <summary>Damage done to the simulated network on purpose (sandbox mode).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.sim-faults")]
public sealed record SimulatedFaults(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableHashSet<string> DownDevices,
    [property: Id(2)] ImmutableHashSet<string> DownLinks,
    [property: Id(3)] ImmutableDictionary<string, ulong> CounterOffsets)
{
    /// <summary>No damage.</summary>
    public static SimulatedFaults None { get; } = new(0, [], [], ImmutableDictionary<string, ulong>.Empty);

    /// <summary>
    /// The fault key of a device: its region and name, because a name is unique only within its region (two imported
    /// networks may both have a "new-york").
    /// </summary>
    public static string DeviceKey(string region, string name) => $"{region}/{name}";

    /// <summary>Whether <paramref name="key"/> has the shape of <see cref="DeviceKey"/>: a region, '/', a name.</summary>
    public static bool IsDeviceKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < key.Length - 1;
    }

    /// <summary>The fault key of the link between two device interfaces (device keys from <see cref="DeviceKey"/>), the same from either end.</summary>
    public static string LinkKey(string deviceA, string interfaceA, string deviceB, string interfaceB)
    {
        var a = $"{deviceA}:{interfaceA}";
        var b = $"{deviceB}:{interfaceB}";
        return string.CompareOrdinal(a, b) <= 0 ? $"{a}|{b}" : $"{b}|{a}";
    }
}

/// <summary>What a driver needs to simulate a tenant's network: the definition (only when it changed) and the faults.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.sim-view")]
public sealed record SimulatedNetworkView(
    [property: Id(0)] SimulatedNetworkDefinition? Definition,
    [property: Id(1)] long DefinitionVersion,
    [property: Id(2)] SimulatedFaults Faults);
