using Pdsno.Abstractions.Config;

namespace Pdsno.Storage.ReadModel;

/// <summary>A device's config columns: intended (with its version), last observed, what the driver reads, drift, lock and degradation.</summary>
public sealed record DeviceConfigRecord(
    string Device,
    string Region,
    DeviceConfig Intended,
    long Version,
    DeviceConfig? Observed,
    DateTimeOffset? ObservedAt,
    ConfigSections Sections,
    bool Drift,
    string? LockedBy,
    string? DegradedReason);
