using System.Collections.Immutable;

namespace Pdsno.Abstractions.Intents;

/// <summary>What an intent asks of the network. Stored by name: never rename a member.</summary>
public enum IntentKind
{
    /// <summary>Connectivity between two endpoints under constraints.</summary>
    Connectivity,

    /// <summary>A partial config every selected device must carry.</summary>
    Compliance,
}

/// <summary>Whether a connectivity intent also reserves a backup path, and how disjoint it must be.</summary>
public enum Protection
{
    /// <summary>No backup path.</summary>
    None,

    /// <summary>A backup path that shares no link with the primary.</summary>
    LinkDisjoint,

    /// <summary>A backup path that shares no link and no device (besides the endpoints) with the primary.</summary>
    NodeDisjoint,
}

/// <summary>One end of a connectivity intent: a device, an interface of it, or a prefix behind it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-endpoint")]
public sealed record IntentEndpoint(
    [property: Id(0)] string Device,
    [property: Id(1)] string? Interface = null,
    [property: Id(2)] string? Prefix = null);

/// <summary>
/// Connectivity between <see cref="A"/> and <see cref="B"/>: at least <see cref="MinBandwidthBps"/> reserved on every
/// link, at most <see cref="MaxHops"/> links, never through the avoided devices, links or regions, only through
/// <see cref="StayWithinRegions"/> when given. A higher <see cref="Priority"/> may displace a lower one.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.connectivity-spec")]
public sealed record ConnectivitySpec(
    [property: Id(0)] IntentEndpoint A,
    [property: Id(1)] IntentEndpoint B,
    [property: Id(2)] long MinBandwidthBps = 0,
    [property: Id(3)] int? MaxHops = null,
    [property: Id(4)] ImmutableArray<string> AvoidDevices = default,
    [property: Id(5)] ImmutableArray<string> AvoidLinks = default,
    [property: Id(6)] ImmutableArray<string> AvoidRegions = default,
    [property: Id(7)] ImmutableArray<string> StayWithinRegions = default,
    [property: Id(8)] Protection Protection = Protection.None,
    [property: Id(9)] int Priority = ConnectivitySpec.DefaultPriority)
{
    /// <summary>The priority of an intent that names none.</summary>
    public const int DefaultPriority = 100;
}

/// <summary>
/// A rule for the interfaces of a selected device whose name matches <see cref="NamePattern"/> (<c>*</c> and <c>?</c>):
/// their description (a template: <c>{device}</c>, <c>{name}</c>, <c>{region}</c>, <c>{interface}</c>, <c>{peer}</c>)
/// and admin state.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.interface-rule")]
public sealed record InterfaceRule(
    [property: Id(0)] string NamePattern,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] bool? Enabled = null);

/// <summary>
/// Which devices a compliance intent covers (every list that is given must match; the name pattern takes <c>*</c> and
/// <c>?</c>) and the partial config they must carry. The location is a template (<c>{region}</c>, <c>{name}</c>,
/// <c>{role}</c>, <c>{vendor}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.compliance-spec")]
public sealed record ComplianceSpec(
    [property: Id(0)] ImmutableArray<string> Regions = default,
    [property: Id(1)] ImmutableArray<string> Roles = default,
    [property: Id(2)] ImmutableArray<string> Vendors = default,
    [property: Id(3)] string? NamePattern = null,
    [property: Id(4)] ImmutableArray<string>? NtpServers = null,
    [property: Id(5)] ImmutableArray<string>? DnsServers = null,
    [property: Id(6)] string? LocationTemplate = null,
    [property: Id(7)] ImmutableArray<InterfaceRule> InterfaceRules = default,
    [property: Id(8)] bool AutoRemediate = false);

/// <summary>An intent as asked: its key within the tenant, its kind, and the spec of that kind.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-spec")]
public sealed record IntentSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] IntentKind Kind,
    [property: Id(2)] ConnectivitySpec? Connectivity = null,
    [property: Id(3)] ComplianceSpec? Compliance = null,
    [property: Id(4)] string? Title = null);
