namespace Pdsno.Storage.ReadModel;

/// <summary>A region drawn as a graph: its devices, the devices of other regions its links reach, and those links.</summary>
public sealed record TopologyRecord(RegionRecord Region, IReadOnlyList<TopologyNodeRecord> Nodes, IReadOnlyList<LinkRecord> Edges);

/// <summary>
/// A node of a topology drawing; <see cref="External"/> marks a device of another region reached by a link.
/// <see cref="Device"/> is null for an external device in a region the caller may not see: only its key is shown.
/// </summary>
public sealed record TopologyNodeRecord(string Key, DeviceRecord? Device, bool External);
