namespace Pdsno.Storage.ReadModel;

/// <summary>A shortest path over UP links: one hop per device, the last one with no outgoing interface or link.</summary>
public sealed record PathRecord(string From, string To, IReadOnlyList<PathHopRecord> Hops)
{
    /// <summary>The number of links crossed.</summary>
    public int LinkCount => Hops.Count - 1;
}

/// <summary>A device on a path, the interface the path leaves it by and the link it takes.</summary>
public sealed record PathHopRecord(string Device, string? InterfaceOut, LinkRecord? Link);
