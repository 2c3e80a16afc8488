using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Events;

namespace Pdsno.Grains.Projection;

/// <summary>A device row of the read model, with its interfaces when they are to be rewritten.</summary>
public sealed record DeviceRow(
    string Device,
    string Region,
    string ChassisId,
    string Name,
    string Vendor,
    string Model,
    string OsVersion,
    string ManagementAddress,
    string Role,
    string Status,
    DateTimeOffset StatusSince,
    DateTimeOffset FirstSeen,
    long StateVersion,
    IReadOnlyList<string> Problems,
    IReadOnlyList<InterfaceRow>? Interfaces,
    DeviceConfigRow? Config = null);

/// <summary>
/// A device's config columns: the intended config and its version, the last observed config (null when the driver reads
/// none) and what it covered, whether they differ, the change holding the lock and why the device is DEGRADED.
/// <see cref="WithConfigs"/> is false when both configs are the ones the row holds already (a lock, an unlock): the
/// row keeps them, as a core device's config of hundreds of routes is most of the write.
/// </summary>
public sealed record DeviceConfigRow(
    DeviceConfig Intended,
    long Version,
    DeviceConfig? Observed,
    DateTimeOffset? ObservedAt,
    ConfigSections Sections,
    bool Drift,
    string? LockedBy,
    string? DegradedReason,
    bool WithConfigs = true);

/// <summary>One applied version of a device's config; stored once per (device, version).</summary>
public sealed record ConfigVersionRow(string Device, ConfigVersion Version);

/// <summary>An interface row of the read model.</summary>
public sealed record InterfaceRow(string Name, int Index, string Mac, long SpeedBps, string Admin, string Oper);

/// <summary>A link row of the read model, owned by the region that reconciled it.</summary>
public sealed record LinkRow(
    string Link,
    string Region,
    string DeviceA,
    string InterfaceA,
    string DeviceB,
    string InterfaceB,
    long SpeedBps,
    string Status,
    DateTimeOffset StatusSince,
    long StateVersion);

/// <summary>A region row of the read model; a deleted region's row is removed.</summary>
public sealed record RegionRow(string Region, string? Name, long PolicyVersion, long StateVersion, bool Deleted = false);

/// <summary>A change row of the read model: what lists filter on, and the whole change as a JSON document.</summary>
public sealed record ChangeRow(
    string Change,
    string Title,
    string Status,
    string Sensitivity,
    bool Emergency,
    bool Acknowledged,
    string Proposer,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> Devices,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long StateVersion,
    string Document);

/// <summary>An intent row of the read model: what lists filter on, and the whole intent as a JSON document.</summary>
public sealed record IntentRow(
    string Intent,
    string Kind,
    string Status,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> Devices,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long StateVersion,
    string Document);

/// <summary>
/// What one grain state change must make visible: its events and its read-model rows, written together in
/// one transaction. Every part is idempotent, keyed by the producing grain's state version.
/// </summary>
public sealed record ProjectionWork(
    string Tenant,
    IReadOnlyList<EventDraft> Events,
    DeviceRow? Device = null,
    RegionRow? Region = null,
    IReadOnlyList<LinkRow>? Links = null,
    IReadOnlyList<ConfigVersionRow>? ConfigVersions = null,
    ChangeRow? Change = null,
    IntentRow? Intent = null);
