using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Events;

namespace Pdsno.Grains.Devices;

/// <summary>Who a device is, as its last observation said.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.device-identity")]
public sealed record DeviceIdentity(
    [property: Id(0)] string ChassisId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Vendor,
    [property: Id(3)] string Model,
    [property: Id(4)] string OsVersion,
    [property: Id(5)] string ManagementAddress,
    [property: Id(6)] string Role);

/// <summary>The durable state of a device grain. Telemetry is deliberately absent: it is never persisted.</summary>
[GenerateSerializer, Alias("pdsno.device-state")]
public sealed class DeviceState : IOutboxState
{
    /// <summary>Increases with every persisted change; the read model and event log are keyed by it.</summary>
    [Id(0)] public long Version { get; set; }

    [Id(1)] public DeviceIdentity? Identity { get; set; }

    [Id(2)] public string Region { get; set; } = "";

    [Id(3)] public DeviceStatus Status { get; set; }

    [Id(4)] public DateTimeOffset StatusSince { get; set; }

    [Id(5)] public DateTimeOffset FirstSeen { get; set; }

    [Id(6)] public ImmutableArray<InterfaceState> Interfaces { get; set; } = [];

    [Id(7)] public ImmutableArray<Neighbor> Neighbors { get; set; } = [];

    /// <summary>Events written with the state but not yet known to be in the event log; replayed on activation.</summary>
    [Id(8)] public ImmutableArray<EventDraft> Outbox { get; set; } = [];

    /// <summary>Interfaces whose utilization is above the threshold; persisted so a crossing is announced once.</summary>
    [Id(9)] public ImmutableHashSet<string> HighUtilization { get; set; } = [];

    /// <summary>What was wrong with the device's data in its last observation (see <see cref="DeviceRules.Problems"/>).</summary>
    [Id(10)] public ImmutableArray<string> Problems { get; set; } = [];

    // The config fields below are absent from states stored before devices had config: they read as null, empty or
    // false, and the next observation sets the baseline (version 1).

    /// <summary>The intended config with its version and who set it; null until the first observation after config existed.</summary>
    [Id(11)] public ConfigVersion? Intended { get; set; }

    /// <summary>The running config as the driver last read it (only <see cref="ObservedSections"/>), null when it reads none.</summary>
    [Id(12)] public DeviceConfig? Observed { get; set; }

    /// <summary>When <see cref="Observed"/> was read; kept in memory each cycle, written with the next change.</summary>
    [Id(13)] public DateTimeOffset? ObservedAt { get; set; }

    /// <summary>What the driver reads of the config; drift is judged on these.</summary>
    [Id(14)] public ConfigSections ObservedSections { get; set; }

    /// <summary>Whether CONFIG_DRIFT was announced and not yet cleared; persisted so each is announced once.</summary>
    [Id(15)] public bool Drift { get; set; }

    /// <summary>The change executing on the device; persisted, so the lock survives restarts.</summary>
    [Id(16)] public string? LockedBy { get; set; }

    /// <summary>Why the device is DEGRADED (a rollback that failed); null when it is not.</summary>
    [Id(17)] public string? DegradedReason { get; set; }

    /// <summary>Versions whose history rows are not known to be in the read model; sent with every projection until one went through.</summary>
    [Id(18)] public ImmutableArray<ConfigVersion> UnprojectedVersions { get; set; } = [];

    /// <summary>
    /// The sections of <see cref="Intended"/> that were read from the device (by discovery or the config driver) or
    /// applied to it; the others hold defaults and are read through the config driver before a change is proposed.
    /// </summary>
    [Id(19)] public ConfigSections IntendedSections { get; set; }

    /// <summary>
    /// The change that gave back its lock with its last step, and the version that step left: asked for that step again
    /// (its silo died before it stored the result), the device answers it applied instead of refusing an unlocked change.
    /// </summary>
    [Id(20)] public string? ReleasedBy { get; set; }

    /// <summary>The intended-config version <see cref="ReleasedBy"/>'s last step left.</summary>
    [Id(21)] public long ReleasedVersion { get; set; }
}
