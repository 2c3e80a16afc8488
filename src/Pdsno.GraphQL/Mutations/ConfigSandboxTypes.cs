using GraphQL.Types;

namespace Pdsno.GraphQL.Mutations;

/// <summary>Input of <c>setConfigFault</c>.</summary>
public sealed class SetConfigFaultInput
{
    public string DeviceId { get; set; } = "";

    public bool ApplyFails { get; set; }

    public bool ReadBackMismatch { get; set; }

    public bool Hang { get; set; }

    public bool RollbackFails { get; set; }

    public int DelayMs { get; set; }
}

/// <summary>GraphQL <c>SetConfigFaultInput</c>: the config faults a simulated device has from now on (all omitted: none).</summary>
public sealed class SetConfigFaultInputGraphType : InputObjectGraphType<SetConfigFaultInput>
{
    /// <summary>Declares the fields.</summary>
    public SetConfigFaultInputGraphType()
    {
        Name = "SetConfigFaultInput";
        Field(x => x.DeviceId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The device's global id, key, name where it is unique, or region/name.");
        Field(x => x.ApplyFails, nullable: true).DefaultValue(false).Description("Every apply is refused by the device.");
        Field(x => x.ReadBackMismatch, nullable: true).DefaultValue(false).Description("Applies take effect, but the device ends up with a config other than the one sent (its contact differs), so the read-back does not match.");
        Field(x => x.Hang, nullable: true).DefaultValue(false).Description("Applies never return; the change's per-target timeout cuts them off.");
        Field(x => x.RollbackFails, nullable: true).DefaultValue(false).Description("An apply that restores the config the device had before its last apply is refused.");
        Field(x => x.DelayMs, nullable: true).DefaultValue(0).Description("Every apply takes this long (0 to 600000 ms) before it takes effect.");
    }
}

/// <summary>Input of <c>setRunningConfig</c>: what changes in the running config; omitted fields stay.</summary>
public sealed class SetRunningConfigInput
{
    public string DeviceId { get; set; } = "";

    public string? Hostname { get; set; }

    public string? Location { get; set; }

    public string? Contact { get; set; }

    public List<string>? NtpServers { get; set; }

    public List<string>? DnsServers { get; set; }

    public List<RunningInterfaceInput>? Interfaces { get; set; }

    public List<RunningRouteInput>? AddRoutes { get; set; }

    public List<RunningRouteRefInput>? RemoveRoutes { get; set; }
}

/// <summary>One interface's settings to change.</summary>
public sealed class RunningInterfaceInput
{
    public string Name { get; set; } = "";

    public bool? Enabled { get; set; }

    public string? Description { get; set; }

    public int? Mtu { get; set; }
}

/// <summary>A route to add.</summary>
public sealed class RunningRouteInput
{
    public string Prefix { get; set; } = "";

    public string NextHop { get; set; } = "";

    public string? Interface { get; set; }

    public int? Metric { get; set; }
}

/// <summary>A route to remove.</summary>
public sealed class RunningRouteRefInput
{
    public string Prefix { get; set; } = "";

    public string? NextHop { get; set; }
}

/// <summary>GraphQL <c>SetRunningConfigInput</c>.</summary>
public sealed class SetRunningConfigInputGraphType : InputObjectGraphType<SetRunningConfigInput>
{
    /// <summary>Declares the fields.</summary>
    public SetRunningConfigInputGraphType()
    {
        Name = "SetRunningConfigInput";
        Field(x => x.DeviceId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The device's global id, key, name where it is unique, or region/name.");
        Field(x => x.Hostname, nullable: true);
        Field(x => x.Location, nullable: true);
        Field(x => x.Contact, nullable: true);
        Field(x => x.NtpServers, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Replaces the NTP servers.");
        Field(x => x.DnsServers, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Replaces the DNS servers.");
        Field(x => x.Interfaces, type: typeof(ListGraphType<NonNullGraphType<RunningInterfaceInputGraphType>>)).Description("Interfaces to change, by name.");
        Field(x => x.AddRoutes, type: typeof(ListGraphType<NonNullGraphType<RunningRouteInputGraphType>>)).Description("Routes to add (replacing one with the same prefix and next hop).");
        Field(x => x.RemoveRoutes, type: typeof(ListGraphType<NonNullGraphType<RunningRouteRefInputGraphType>>)).Description("Routes to remove; without a next hop, every route of the prefix.");
    }
}

/// <summary>GraphQL <c>RunningInterfaceInput</c>.</summary>
public sealed class RunningInterfaceInputGraphType : InputObjectGraphType<RunningInterfaceInput>
{
    /// <summary>Declares the fields.</summary>
    public RunningInterfaceInputGraphType()
    {
        Name = "RunningInterfaceInput";
        Field(x => x.Name);
        Field(x => x.Enabled, nullable: true).Description("False shuts the interface down: its link goes down at the next discovery.");
        Field(x => x.Description, nullable: true);
        Field(x => x.Mtu, nullable: true);
    }
}

/// <summary>GraphQL <c>RunningRouteInput</c>.</summary>
public sealed class RunningRouteInputGraphType : InputObjectGraphType<RunningRouteInput>
{
    /// <summary>Declares the fields.</summary>
    public RunningRouteInputGraphType()
    {
        Name = "RunningRouteInput";
        Field(x => x.Prefix).Description("Destination prefix, e.g. 10.0.0.0/8.");
        Field(x => x.NextHop).Description("Next-hop address.");
        Field(x => x.Interface, nullable: true);
        Field(x => x.Metric, nullable: true);
    }
}

/// <summary>GraphQL <c>RunningRouteRefInput</c>.</summary>
public sealed class RunningRouteRefInputGraphType : InputObjectGraphType<RunningRouteRefInput>
{
    /// <summary>Declares the fields.</summary>
    public RunningRouteRefInputGraphType()
    {
        Name = "RunningRouteRefInput";
        Field(x => x.Prefix);
        Field(x => x.NextHop, nullable: true);
    }
}
