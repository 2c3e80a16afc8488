using GraphQL.Types;

namespace Pdsno.GraphQL.Enums;

/// <summary>Reachability of a device: the upper-case names stored in the read model.</summary>
public sealed class DeviceStatusGraphType : EnumerationGraphType
{
    /// <summary>Declares ACTIVE, UNREACHABLE and INACTIVE.</summary>
    public DeviceStatusGraphType()
    {
        Name = "DeviceStatus";
        Add("ACTIVE", "ACTIVE", "Seen in the latest discovery cycle.");
        Add("UNREACHABLE", "UNREACHABLE", "Missed by at least one cycle, fewer than the inactive limit.");
        Add("INACTIVE", "INACTIVE", "Missed by the inactive limit of consecutive cycles or more.");
    }
}
