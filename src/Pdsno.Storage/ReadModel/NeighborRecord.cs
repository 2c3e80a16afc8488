namespace Pdsno.Storage.ReadModel;

/// <summary>What is on the other end of one of a device's links: the link, both interfaces and the far device's key.</summary>
public sealed record NeighborRecord(string Of, LinkRecord Link, string LocalInterface, string RemoteInterface, string RemoteDeviceKey);
