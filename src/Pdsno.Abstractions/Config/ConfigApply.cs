using System.Collections.Immutable;

namespace Pdsno.Abstractions.Config;

/// <summary>A device's configuration as PDSNO intends it and as the device last reported it.</summary>
/// <param name="Intended">What the last applied change (or the first observation) set.</param>
/// <param name="Version">The version of <paramref name="Intended"/> (1 = as first observed); every applied change adds one.</param>
/// <param name="Observed">What the driver last read, null when it cannot read config.</param>
/// <param name="ObservedAt">When <paramref name="Observed"/> was read.</param>
/// <param name="Sections">What the driver reads; drift is judged on these.</param>
/// <param name="Drift">Differences from intended to observed (within <paramref name="Sections"/>), empty when in sync.</param>
/// <param name="LockedBy">The change executing on the device, if any.</param>
/// <param name="DegradedReason">Why the device is DEGRADED (a rollback that failed), null otherwise.</param>
[GenerateSerializer, Immutable, Alias("pdsno.device-config-view")]
public sealed record DeviceConfigView(
    [property: Id(0)] DeviceConfig Intended,
    [property: Id(1)] long Version,
    [property: Id(2)] DeviceConfig? Observed,
    [property: Id(3)] DateTimeOffset? ObservedAt,
    [property: Id(4)] ConfigSections Sections,
    [property: Id(5)] ImmutableArray<ConfigDiffEntry> Drift,
    [property: Id(6)] string? LockedBy,
    [property: Id(7)] string? DegradedReason);

/// <summary>One step of a change on one device: apply <paramref name="Desired"/> and read it back.</summary>
/// <param name="ChangeId">The change the step belongs to; it must hold the device's lock.</param>
/// <param name="Desired">The whole config the device must have after the step.</param>
/// <param name="Rollback">True when the step restores the config the change found.</param>
/// <param name="Actor">Who the change acts for (recorded with the version).</param>
/// <param name="Timeout">How long the driver may take for apply and read-back together.</param>
/// <param name="Release">True for a change's last step: applied, the device gives back the change's lock in the same write.</param>
[GenerateSerializer, Immutable, Alias("pdsno.config-apply-request")]
public sealed record ConfigApplyRequest(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] DeviceConfig Desired,
    [property: Id(2)] bool Rollback,
    [property: Id(3)] string Actor,
    [property: Id(4)] TimeSpan Timeout,
    [property: Id(5)] bool Release = false);

/// <summary>How a step ended.</summary>
public enum ConfigApplyStatus
{
    /// <summary>Applied and read back equal.</summary>
    Applied,

    /// <summary>The driver refused or failed.</summary>
    Failed,

    /// <summary>The driver did not finish within the timeout.</summary>
    TimedOut,

    /// <summary>Applied, but the read-back differs from the desired config.</summary>
    Mismatch,

    /// <summary>Refused: the device is locked by another change (named in the message) or not locked by this one.</summary>
    Locked,
}

/// <summary>The result of a <see cref="ConfigApplyRequest"/>.</summary>
/// <param name="Status">How the step ended.</param>
/// <param name="Version">The device's intended-config version after the step (unchanged unless applied).</param>
/// <param name="ReadBack">What the device reported after the apply, when it could be read.</param>
/// <param name="Message">Why it failed, null when applied.</param>
[GenerateSerializer, Immutable, Alias("pdsno.config-apply-outcome")]
public sealed record ConfigApplyOutcome(
    [property: Id(0)] ConfigApplyStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] DeviceConfig? ReadBack,
    [property: Id(3)] string? Message);

/// <summary>One applied version of a device's config, as <c>Device.configHistory</c> lists it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.config-version")]
public sealed record ConfigVersion(
    [property: Id(0)] long Version,
    [property: Id(1)] DeviceConfig Config,
    [property: Id(2)] string? ChangeId,
    [property: Id(3)] string Actor,
    [property: Id(4)] DateTimeOffset AppliedAt,
    [property: Id(5)] bool Rollback);

/// <summary>A device's config made ready for a proposal, or why it could not be.</summary>
/// <param name="View">The config, its intended part complete in every section the device's config driver manages; null when the device is unknown.</param>
/// <param name="Problem">Why the sections discovery does not read could not be read through the config driver, null when ready.</param>
[GenerateSerializer, Immutable, Alias("pdsno.config-preparation")]
public sealed record ConfigPreparation(
    [property: Id(0)] DeviceConfigView? View,
    [property: Id(1)] string? Problem);
