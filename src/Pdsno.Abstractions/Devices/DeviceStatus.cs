namespace Pdsno.Abstractions.Devices;

/// <summary>Reachability of a device as discovery sees it.</summary>
public enum DeviceStatus
{
    /// <summary>Seen in the latest discovery cycle.</summary>
    Active = 0,

    /// <summary>Missed by at least one cycle, fewer than the inactive limit.</summary>
    Unreachable = 1,

    /// <summary>Missed by the inactive limit of consecutive cycles or more.</summary>
    Inactive = 2,

    /// <summary>A change's rollback failed on the device: its running config is not what PDSNO intends (the reason is kept).</summary>
    Degraded = 3,
}

/// <summary>Operational state of an interface (IF-MIB ifOperStatus, reduced).</summary>
public enum OperStatus
{
    /// <summary>Passing traffic.</summary>
    Up = 1,

    /// <summary>Not passing traffic.</summary>
    Down = 2,

    /// <summary>The device did not say.</summary>
    Unknown = 4,
}

/// <summary>Administrative state of an interface (IF-MIB ifAdminStatus).</summary>
public enum AdminStatus
{
    /// <summary>Enabled by configuration.</summary>
    Up = 1,

    /// <summary>Shut down by configuration.</summary>
    Down = 2,
}

/// <summary>State of a link between two interfaces.</summary>
public enum LinkStatus
{
    /// <summary>Both ends see each other.</summary>
    Up = 0,

    /// <summary>At least one end no longer sees the other.</summary>
    Down = 1,
}
