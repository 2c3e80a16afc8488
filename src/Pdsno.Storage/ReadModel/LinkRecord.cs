namespace Pdsno.Storage.ReadModel;

/// <summary>A link row of the read model: key <c>devA:ifA|devB:ifB</c>, status UP or DOWN.</summary>
public sealed record LinkRecord(
    string Key,
    string Region,
    string DeviceA,
    string InterfaceA,
    string DeviceB,
    string InterfaceB,
    long SpeedBps,
    string Status,
    DateTimeOffset StatusSince)
{
    /// <summary>True when the link carries traffic.</summary>
    public bool IsUp => string.Equals(Status, "UP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The far end seen from <paramref name="device"/>: the other device and both interface names.</summary>
    public (string Device, string LocalInterface, string RemoteInterface) FarEndFrom(string device) =>
        device == DeviceA ? (DeviceB, InterfaceA, InterfaceB) : (DeviceA, InterfaceB, InterfaceA);
}
