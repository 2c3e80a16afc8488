namespace Pdsno.Storage.ReadModel;

/// <summary>An interface row of the read model; statuses are UP, DOWN or UNKNOWN.</summary>
public sealed record InterfaceRecord(
    string Device,
    string Name,
    int IfIndex,
    string Mac,
    long SpeedBps,
    string AdminStatus,
    string OperStatus)
{
    /// <summary>The key of the interface within its tenant: <c>device/name</c> (device keys never contain '/').</summary>
    public string Key => Device + "/" + Name;
}
