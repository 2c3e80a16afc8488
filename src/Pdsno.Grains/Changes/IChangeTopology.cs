namespace Pdsno.Grains.Changes;

/// <summary>A device as impact and classification need it.</summary>
public sealed record TopologyDevice(string Device, string Region, string Name, string Role);

/// <summary>A link as impact and classification need it.</summary>
public sealed record TopologyLink(string Link, string Region, string DeviceA, string InterfaceA, string DeviceB, string InterfaceB, bool Up);

/// <summary>The live topology of some regions: their devices and every link that touches one of them.</summary>
public sealed record ChangeTopology(IReadOnlyList<TopologyDevice> Devices, IReadOnlyList<TopologyLink> Links)
{
    /// <summary>No devices, no links.</summary>
    public static ChangeTopology Empty { get; } = new([], []);
}

/// <summary>
/// Reads the live topology a proposal's impact is judged on. The grains own this contract; the store implements it
/// (the read model in a silo, memory in grain tests).
/// </summary>
public interface IChangeTopology
{
    /// <summary>The devices of <paramref name="regions"/> and the links that touch them.</summary>
    Task<ChangeTopology> ReadAsync(string tenant, IReadOnlyCollection<string> regions, CancellationToken cancellationToken = default);
}
