namespace Pdsno.GraphQL.ReadModel;

/// <summary>
/// What is on the other end of one of a device's links; <see cref="Device"/> is null while the far device has
/// not been projected yet (a link can be stored a moment before its second device).
/// </summary>
public sealed record NeighborRecord(string Of, LinkRecord Link, string LocalInterface, string RemoteInterface, string RemoteDeviceKey, DeviceRecord? Device);
