using System.Collections.Immutable;
using GraphQL.Types;
using Pdsno.Abstractions.Intents;
using Pdsno.GraphQL.Relay;

namespace Pdsno.GraphQL.Intents;

/// <summary>Input of <c>previewIntent</c>: an intent as the API takes it.</summary>
public sealed class IntentInput
{
    public string? Key { get; set; }

    public string? Title { get; set; }

    public IntentKind Kind { get; set; }

    public ConnectivityInput? Connectivity { get; set; }

    public ComplianceInput? Compliance { get; set; }

    /// <summary>The spec of the intent model: ids become keys (a global id of the wrong type is refused naming its field).</summary>
    public IntentSpec ToSpec(string fallbackKey) => new(
        Key ?? fallbackKey,
        Kind,
        Connectivity?.ToSpec(),
        Compliance?.ToSpec(),
        Title);
}

/// <summary>One endpoint of a connectivity intent.</summary>
public sealed class EndpointInput
{
    public string DeviceId { get; set; } = "";

    public string? Interface { get; set; }

    public string? Prefix { get; set; }

    internal IntentEndpoint ToEndpoint(string field) => new(GlobalId.KeyOf(DeviceId, GlobalId.Device, field + ".deviceId"), Interface, Prefix);
}

/// <summary>A connectivity intent's spec.</summary>
public sealed class ConnectivityInput
{
    public EndpointInput A { get; set; } = new();

    public EndpointInput B { get; set; } = new();

    public long? MinBandwidthBps { get; set; }

    public int? MaxHops { get; set; }

    public List<string>? AvoidDeviceIds { get; set; }

    public List<string>? AvoidLinkIds { get; set; }

    public List<string>? AvoidRegionIds { get; set; }

    public List<string>? StayWithinRegionIds { get; set; }

    public Protection? Protection { get; set; }

    public int? Priority { get; set; }

    internal ConnectivitySpec ToSpec() => new(
        A.ToEndpoint("input.connectivity.a"),
        B.ToEndpoint("input.connectivity.b"),
        MinBandwidthBps ?? 0,
        MaxHops,
        Keys(AvoidDeviceIds, GlobalId.Device, "input.connectivity.avoidDeviceIds"),
        Keys(AvoidLinkIds, GlobalId.Link, "input.connectivity.avoidLinkIds"),
        Keys(AvoidRegionIds, GlobalId.Region, "input.connectivity.avoidRegionIds"),
        Keys(StayWithinRegionIds, GlobalId.Region, "input.connectivity.stayWithinRegionIds"),
        Protection ?? Abstractions.Intents.Protection.None,
        Priority ?? ConnectivitySpec.DefaultPriority);

    internal static ImmutableArray<string> Keys(List<string>? ids, string type, string field) =>
        ids is null ? [] : [.. ids.Select((id, i) => GlobalId.KeyOf(id, type, $"{field}[{i}]"))];
}

/// <summary>A compliance intent's spec.</summary>
public sealed class ComplianceInput
{
    public List<string>? RegionIds { get; set; }

    public List<string>? Roles { get; set; }

    public List<string>? Vendors { get; set; }

    public string? NamePattern { get; set; }

    public List<string>? NtpServers { get; set; }

    public List<string>? DnsServers { get; set; }

    public string? LocationTemplate { get; set; }

    public List<InterfaceRuleInput>? InterfaceRules { get; set; }

    public bool? AutoRemediate { get; set; }

    internal ComplianceSpec ToSpec() => new(
        ConnectivityInput.Keys(RegionIds, GlobalId.Region, "input.compliance.regionIds"),
        Roles is null ? [] : [.. Roles],
        Vendors is null ? [] : [.. Vendors],
        NamePattern,
        NtpServers is null ? null : [.. NtpServers],
        DnsServers is null ? null : [.. DnsServers],
        LocationTemplate,
        InterfaceRules is null ? [] : [.. InterfaceRules.Select(r => new InterfaceRule(r.NamePattern, r.Description, r.Enabled))],
        AutoRemediate ?? false);
}

/// <summary>A rule for the interfaces of selected devices.</summary>
public sealed class InterfaceRuleInput
{
    public string NamePattern { get; set; } = "";

    public string? Description { get; set; }

    public bool? Enabled { get; set; }
}

/// <summary>GraphQL <c>IntentInput</c>.</summary>
public sealed class IntentInputGraphType : InputObjectGraphType<IntentInput>
{
    /// <summary>Declares the fields.</summary>
    public IntentInputGraphType()
    {
        Name = "IntentInput";
        Field(x => x.Key, nullable: true).Description("The intent's key in the tenant; a preview of an existing key compiles as its replacement.");
        Field(x => x.Title, nullable: true);
        Field(x => x.Kind, type: typeof(NonNullGraphType<IntentKindGraphType>));
        Field(x => x.Connectivity, type: typeof(ConnectivityInputGraphType)).Description("Exactly with kind CONNECTIVITY.");
        Field(x => x.Compliance, type: typeof(ComplianceInputGraphType)).Description("Exactly with kind COMPLIANCE.");
    }
}

/// <summary>GraphQL <c>IntentEndpointInput</c>.</summary>
public sealed class EndpointInputGraphType : InputObjectGraphType<EndpointInput>
{
    /// <summary>Declares the fields.</summary>
    public EndpointInputGraphType()
    {
        Name = "IntentEndpointInput";
        Description = "A device, an interface of it, or a prefix behind it (at most one of interface and prefix).";
        Field(x => x.DeviceId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The device's global id, key, or name where it is unique.");
        Field(x => x.Interface, nullable: true).Description("An interface of the device, by name.");
        Field(x => x.Prefix, nullable: true).Description("A prefix behind the device (address/length); without it the device's address stands for the endpoint.");
    }
}

/// <summary>GraphQL <c>ConnectivityInput</c>.</summary>
public sealed class ConnectivityInputGraphType : InputObjectGraphType<ConnectivityInput>
{
    /// <summary>Declares the fields.</summary>
    public ConnectivityInputGraphType()
    {
        Name = "ConnectivityInput";
        Field(x => x.A, type: typeof(NonNullGraphType<EndpointInputGraphType>));
        Field(x => x.B, type: typeof(NonNullGraphType<EndpointInputGraphType>));
        Field(x => x.MinBandwidthBps, type: typeof(LongGraphType)).Description("Reserved on every link of the path (and of the backup); default 0.");
        Field(x => x.MaxHops, nullable: true).Description("The most links the path may have.");
        Field(x => x.AvoidDeviceIds, type: typeof(ListGraphType<NonNullGraphType<IdGraphType>>));
        Field(x => x.AvoidLinkIds, type: typeof(ListGraphType<NonNullGraphType<IdGraphType>>));
        Field(x => x.AvoidRegionIds, type: typeof(ListGraphType<NonNullGraphType<IdGraphType>>));
        Field(x => x.StayWithinRegionIds, type: typeof(ListGraphType<NonNullGraphType<IdGraphType>>)).Description("Only devices of these regions.");
        Field(x => x.Protection, type: typeof(ProtectionGraphType)).Description("A disjoint backup path, reserved and installed too; default NONE.");
        Field(x => x.Priority, nullable: true).Description($"0..1000, default {ConnectivitySpec.DefaultPriority}; a higher one may displace lower ones.");
    }
}

/// <summary>GraphQL <c>ComplianceInput</c>.</summary>
public sealed class ComplianceInputGraphType : InputObjectGraphType<ComplianceInput>
{
    /// <summary>Declares the fields.</summary>
    public ComplianceInputGraphType()
    {
        Name = "ComplianceInput";
        Description = "A selector (every list given must match; names take * and ?) and the partial config selected devices must carry.";
        Field(x => x.RegionIds, type: typeof(ListGraphType<NonNullGraphType<IdGraphType>>));
        Field(x => x.Roles, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>));
        Field(x => x.Vendors, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>));
        Field(x => x.NamePattern, nullable: true);
        Field(x => x.NtpServers, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>));
        Field(x => x.DnsServers, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>));
        Field(x => x.LocationTemplate, nullable: true).Description("With {region}, {name}, {device}, {role}, {vendor}.");
        Field(x => x.InterfaceRules, type: typeof(ListGraphType<NonNullGraphType<InterfaceRuleInputGraphType>>));
        Field(x => x.AutoRemediate, nullable: true);
    }
}

/// <summary>GraphQL <c>InterfaceRuleInput</c>.</summary>
public sealed class InterfaceRuleInputGraphType : InputObjectGraphType<InterfaceRuleInput>
{
    /// <summary>Declares the fields.</summary>
    public InterfaceRuleInputGraphType()
    {
        Name = "InterfaceRuleInput";
        Field(x => x.NamePattern).Description("Interface names, with * and ?.");
        Field(x => x.Description, nullable: true).Description("A template: {device}, {name}, {region}, {interface}, {peer}.");
        Field(x => x.Enabled, nullable: true).Description("Admin state.");
    }
}

/// <summary>GraphQL <c>IntentKind</c>.</summary>
public sealed class IntentKindGraphType : EnumerationGraphType<IntentKind>
{
    /// <summary>Declares the values.</summary>
    public IntentKindGraphType()
    {
        Name = "IntentKind";
    }
}

/// <summary>GraphQL <c>Protection</c>: NONE, LINK_DISJOINT, NODE_DISJOINT.</summary>
public sealed class ProtectionGraphType : EnumerationGraphType<Protection>
{
    /// <summary>Declares the values.</summary>
    public ProtectionGraphType()
    {
        Name = "Protection";
    }
}

/// <summary>GraphQL <c>ConflictKind</c>: CAPACITY, COMPLIANCE_KEY, DISABLED_INTERFACE.</summary>
public sealed class ConflictKindGraphType : EnumerationGraphType<ConflictKind>
{
    /// <summary>Declares the values.</summary>
    public ConflictKindGraphType()
    {
        Name = "ConflictKind";
    }
}

/// <summary>Input of <c>updateIntent</c>: the intent and its new spec.</summary>
public sealed class UpdateIntentInput
{
    public string Id { get; set; } = "";

    public IntentInput Intent { get; set; } = new();
}

/// <summary>Input of <c>withdrawIntent</c>.</summary>
public sealed class IntentRefInput
{
    public string Id { get; set; } = "";
}

/// <summary>Filter of <c>intents</c>.</summary>
public sealed class IntentFilter
{
    public IntentKind? Kind { get; set; }

    public IntentStatus? State { get; set; }

    public string? RegionId { get; set; }

    public string? DeviceId { get; set; }
}

/// <summary>GraphQL <c>UpdateIntentInput</c>.</summary>
public sealed class UpdateIntentInputGraphType : InputObjectGraphType<UpdateIntentInput>
{
    /// <summary>Declares the fields.</summary>
    public UpdateIntentInputGraphType()
    {
        Name = "UpdateIntentInput";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The intent (global id or key).");
        Field(x => x.Intent, type: typeof(NonNullGraphType<IntentInputGraphType>)).Description("The new spec; its key is ignored.");
    }
}

/// <summary>GraphQL <c>IntentRefInput</c>.</summary>
public sealed class IntentRefInputGraphType : InputObjectGraphType<IntentRefInput>
{
    /// <summary>Declares the fields.</summary>
    public IntentRefInputGraphType()
    {
        Name = "IntentRefInput";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The intent (global id or key).");
    }
}

/// <summary>GraphQL <c>IntentFilter</c>.</summary>
public sealed class IntentFilterInputGraphType : InputObjectGraphType<IntentFilter>
{
    /// <summary>Declares the fields.</summary>
    public IntentFilterInputGraphType()
    {
        Name = "IntentFilter";
        Field(x => x.Kind, type: typeof(IntentKindGraphType));
        Field(x => x.State, type: typeof(IntentStatusGraphType));
        Field(x => x.RegionId, type: typeof(IdGraphType)).Description("Intents with an endpoint in this region.");
        Field(x => x.DeviceId, type: typeof(IdGraphType)).Description("Intents with this device as an endpoint or on a path.");
    }
}
