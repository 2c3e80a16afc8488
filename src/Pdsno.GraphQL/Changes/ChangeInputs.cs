using System.Collections.Immutable;
using GraphQL.Types;
using Pdsno.Abstractions.Config;
using Pdsno.GraphQL.Enums;

namespace Pdsno.GraphQL.Changes;

/// <summary>Input of <c>proposeChange</c> and <c>updateChange</c>.</summary>
public sealed class ProposeChangeInput
{
    public string? ChangeId { get; set; }

    public string? Key { get; set; }

    public string Title { get; set; } = "";

    public string? Reason { get; set; }

    public List<ChangeTargetInput> Targets { get; set; } = [];

    public bool Emergency { get; set; }

    public bool Execute { get; set; }
}

/// <summary>One target of a proposal.</summary>
public sealed class ChangeTargetInput
{
    public string DeviceId { get; set; } = "";

    public ConfigPatchInput Patch { get; set; } = new();
}

/// <summary>A patch as the API takes it.</summary>
public sealed class ConfigPatchInput
{
    public string? Hostname { get; set; }

    public string? Location { get; set; }

    public string? Contact { get; set; }

    public List<string>? NtpServers { get; set; }

    public List<string>? DnsServers { get; set; }

    public List<InterfacePatchInput>? Interfaces { get; set; }

    public List<RouteInput>? AddRoutes { get; set; }

    public List<RouteRefInput>? RemoveRoutes { get; set; }

    /// <summary>The patch of the config model.</summary>
    public ConfigPatch ToPatch() => new(
        Hostname,
        Location,
        Contact,
        NtpServers is null ? null : [.. NtpServers],
        DnsServers is null ? null : [.. DnsServers],
        [.. (Interfaces ?? []).Select(i => new InterfacePatch(i.Name, i.Enabled, i.Description, i.Mtu))],
        [.. (AddRoutes ?? []).Select(r => new StaticRoute(r.Prefix, r.NextHop, r.Interface, r.Metric ?? 0))],
        (RemoveRoutes ?? []).Select(r => new RouteRef(r.Prefix, r.NextHop)).ToImmutableArray());
}

/// <summary>An interface setting of a patch.</summary>
public sealed class InterfacePatchInput
{
    public string Name { get; set; } = "";

    public bool? Enabled { get; set; }

    public string? Description { get; set; }

    public int? Mtu { get; set; }
}

/// <summary>A route to add.</summary>
public sealed class RouteInput
{
    public string Prefix { get; set; } = "";

    public string NextHop { get; set; } = "";

    public string? Interface { get; set; }

    public int? Metric { get; set; }
}

/// <summary>A route to remove.</summary>
public sealed class RouteRefInput
{
    public string Prefix { get; set; } = "";

    public string? NextHop { get; set; }
}

/// <summary>Input naming a change, with an optional comment.</summary>
public sealed class ChangeActionInput
{
    public string ChangeId { get; set; } = "";

    public string? Comment { get; set; }
}

/// <summary>Input of <c>restoreConfig</c>.</summary>
public sealed class RestoreConfigInput
{
    public string DeviceId { get; set; } = "";

    public long Version { get; set; }

    public string? Title { get; set; }

    public string? Reason { get; set; }
}

/// <summary>Filter of <c>changes</c>.</summary>
public sealed class ChangeFilter
{
    public Abstractions.Changes.ChangeStatus? Status { get; set; }

    public string? RegionId { get; set; }

    public string? DeviceId { get; set; }
}

/// <summary>Input of <c>setChangePolicy</c>.</summary>
public sealed class SetChangePolicyInput
{
    public List<string>? MediumRoles { get; set; }

    public int? HighRegionCount { get; set; }

    public int? HighDeviceCount { get; set; }

    public int? MediumApprovals { get; set; }

    public int? HighApprovals { get; set; }

    public int? EmergenciesPerHour { get; set; }

    public int? TokenLifetimeSeconds { get; set; }

    public int? TargetTimeoutMilliseconds { get; set; }

    public int? MaxTargets { get; set; }

    public bool? IntentRoutesLow { get; set; }

    public int? ParallelTargets { get; set; }
}

/// <summary>GraphQL <c>ProposeChangeInput</c>.</summary>
public sealed class ProposeChangeInputGraphType : InputObjectGraphType<ProposeChangeInput>
{
    /// <summary>Declares the fields.</summary>
    public ProposeChangeInputGraphType()
    {
        Name = "ProposeChangeInput";
        Field(x => x.Key, nullable: true).Description("Your own key for the change (no '/', spaces or control characters, at most 128 characters), unique in the tenant: scripts can name the change without reading its id, and a retried proposal finds its first attempt (CONFLICT). Omitted: a generated key.");
        Field(x => x.Title).Description("1 to 200 characters.");
        Field(x => x.Reason, nullable: true).Description("Why; required for an emergency.");
        Field(x => x.Targets, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ChangeTargetInputGraphType>>>)).Description("One entry per device, each device once.");
        Field(x => x.Emergency, nullable: true).Description("Runs at once under the tenant's emergency rate limit; a global approver acknowledges it afterwards.");
        Field(x => x.Execute, nullable: true).Description("Executes the change in the same request when it is approved at once (LOW, or EMERGENCY), as executeChange would; the answer is then its final state. A change that needs approvers is only proposed.");
    }
}

/// <summary>GraphQL <c>UpdateChangeInput</c>: the whole new proposal of a change not yet executing.</summary>
public sealed class UpdateChangeInputGraphType : InputObjectGraphType<ProposeChangeInput>
{
    /// <summary>Declares the fields.</summary>
    public UpdateChangeInputGraphType()
    {
        Name = "UpdateChangeInput";
        Field(x => x.ChangeId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The change's global id (or key).");
        Field(x => x.Title);
        Field(x => x.Reason, nullable: true);
        Field(x => x.Targets, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ChangeTargetInputGraphType>>>));
        Field(x => x.Emergency, nullable: true);
    }
}

/// <summary>GraphQL <c>ChangeTargetInput</c>.</summary>
public sealed class ChangeTargetInputGraphType : InputObjectGraphType<ChangeTargetInput>
{
    /// <summary>Declares the fields.</summary>
    public ChangeTargetInputGraphType()
    {
        Name = "ChangeTargetInput";
        Field(x => x.DeviceId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The device's global id, key, or name where it is unique.");
        Field(x => x.Patch, type: typeof(NonNullGraphType<ConfigPatchInputGraphType>));
    }
}

/// <summary>GraphQL <c>ConfigPatchInput</c>: only the settings to change.</summary>
public sealed class ConfigPatchInputGraphType : InputObjectGraphType<ConfigPatchInput>
{
    /// <summary>Declares the fields.</summary>
    public ConfigPatchInputGraphType()
    {
        Name = "ConfigPatchInput";
        Field(x => x.Hostname, nullable: true);
        Field(x => x.Location, nullable: true);
        Field(x => x.Contact, nullable: true);
        Field(x => x.NtpServers, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Replaces the list.");
        Field(x => x.DnsServers, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Replaces the list.");
        Field(x => x.Interfaces, type: typeof(ListGraphType<NonNullGraphType<InterfacePatchInputGraphType>>)).Description("By name; interfaces are never created.");
        Field(x => x.AddRoutes, type: typeof(ListGraphType<NonNullGraphType<RouteInputGraphType>>)).Description("Added after removals; replaces a route of the same prefix and next hop.");
        Field(x => x.RemoveRoutes, type: typeof(ListGraphType<NonNullGraphType<RouteRefInputGraphType>>));
    }
}

/// <summary>GraphQL <c>InterfacePatchInput</c>.</summary>
public sealed class InterfacePatchInputGraphType : InputObjectGraphType<InterfacePatchInput>
{
    /// <summary>Declares the fields.</summary>
    public InterfacePatchInputGraphType()
    {
        Name = "InterfacePatchInput";
        Field(x => x.Name);
        Field(x => x.Enabled, nullable: true).Description("Admin state.");
        Field(x => x.Description, nullable: true);
        Field(x => x.Mtu, nullable: true).Description($"{DeviceConfig.MinMtu}..{DeviceConfig.MaxMtu}.");
    }
}

/// <summary>GraphQL <c>RouteInput</c>.</summary>
public sealed class RouteInputGraphType : InputObjectGraphType<RouteInput>
{
    /// <summary>Declares the fields.</summary>
    public RouteInputGraphType()
    {
        Name = "RouteInput";
        Field(x => x.Prefix).Description("A network address with its length, e.g. 10.20.0.0/16.");
        Field(x => x.NextHop);
        Field(x => x.Interface, nullable: true);
        Field(x => x.Metric, nullable: true).Description("0..65535, default 0.");
    }
}

/// <summary>GraphQL <c>RouteRefInput</c>.</summary>
public sealed class RouteRefInputGraphType : InputObjectGraphType<RouteRefInput>
{
    /// <summary>Declares the fields.</summary>
    public RouteRefInputGraphType()
    {
        Name = "RouteRefInput";
        Field(x => x.Prefix);
        Field(x => x.NextHop, nullable: true).Description("Omitted: every route of the prefix.");
    }
}

/// <summary>GraphQL <c>ChangeActionInput</c>.</summary>
public sealed class ChangeActionInputGraphType : InputObjectGraphType<ChangeActionInput>
{
    /// <summary>Declares the fields.</summary>
    public ChangeActionInputGraphType()
    {
        Name = "ChangeActionInput";
        Field(x => x.ChangeId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The change's global id (or key).");
        Field(x => x.Comment, nullable: true).Description("Kept with the decision.");
    }
}

/// <summary>GraphQL <c>RestoreConfigInput</c>.</summary>
public sealed class RestoreConfigInputGraphType : InputObjectGraphType<RestoreConfigInput>
{
    /// <summary>Declares the fields.</summary>
    public RestoreConfigInputGraphType()
    {
        Name = "RestoreConfigInput";
        Field(x => x.DeviceId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The device's global id, key, or name where it is unique.");
        Field(x => x.Version, type: typeof(NonNullGraphType<LongGraphType>)).Description("The config version to go back to.");
        Field(x => x.Title, nullable: true);
        Field(x => x.Reason, nullable: true);
    }
}

/// <summary>GraphQL <c>ChangeFilterInput</c>.</summary>
public sealed class ChangeFilterInputGraphType : InputObjectGraphType<ChangeFilter>
{
    /// <summary>Declares the fields.</summary>
    public ChangeFilterInputGraphType()
    {
        Name = "ChangeFilterInput";
        Field(x => x.Status, type: typeof(ChangeStatusGraphType));
        Field(x => x.RegionId, type: typeof(IdGraphType)).Description("Changes touching this region.");
        Field(x => x.DeviceId, type: typeof(IdGraphType)).Description("Changes targeting this device.");
    }
}

/// <summary>GraphQL <c>SetChangePolicyInput</c>: omitted fields keep their current value.</summary>
public sealed class SetChangePolicyInputGraphType : InputObjectGraphType<SetChangePolicyInput>
{
    /// <summary>Declares the fields.</summary>
    public SetChangePolicyInputGraphType()
    {
        Name = "SetChangePolicyInput";
        Field(x => x.MediumRoles, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Device roles whose changes are at least MEDIUM.");
        Field(x => x.HighRegionCount, nullable: true).Description("More regions than this: HIGH.");
        Field(x => x.HighDeviceCount, nullable: true).Description("More devices than this: HIGH.");
        Field(x => x.MediumApprovals, nullable: true).Description("Approvals a MEDIUM change needs in each region.");
        Field(x => x.HighApprovals, nullable: true).Description("Global approvals a HIGH change needs.");
        Field(x => x.EmergenciesPerHour, nullable: true);
        Field(x => x.TokenLifetimeSeconds, nullable: true).Description("How long an execution token stays valid.");
        Field(x => x.TargetTimeoutMilliseconds, nullable: true).Description("How long one device may take to apply and read back.");
        Field(x => x.MaxTargets, nullable: true);
        Field(x => x.IntentRoutesLow, nullable: true).Description("Static routes an intent installs count as LOW; its other rules (roles, regions, device count) still apply.");
        Field(x => x.ParallelTargets, nullable: true).Description("How many targets of a change are applied at once (1..256); a failure still rolls back every applied target in reverse order.");
    }
}
