using GraphQL.Types;

namespace Pdsno.GraphQL.Enums;

/// <summary>Reachability of a device: the upper-case names stored in the read model.</summary>
public sealed class DeviceStatusGraphType : EnumerationGraphType
{
    /// <summary>Declares ACTIVE, UNREACHABLE, INACTIVE and DEGRADED.</summary>
    public DeviceStatusGraphType()
    {
        Name = "DeviceStatus";
        Add("ACTIVE", "ACTIVE", "Seen in the latest discovery cycle.");
        Add("UNREACHABLE", "UNREACHABLE", "Missed by at least one cycle, fewer than the inactive limit.");
        Add("INACTIVE", "INACTIVE", "Missed by the inactive limit of consecutive cycles or more.");
        Add("DEGRADED", "DEGRADED", "A change's rollback failed on the device: its running config is not what PDSNO intends (see config.degradedReason). Discovery keeps it DEGRADED; a later successful apply (a change or a restore) ends it.");
    }
}
