using System.Collections.Immutable;
using Orleans.Concurrency;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>Owns one device: its durable truth and its recent telemetry. Key: <c>tenant/device</c>.</summary>
[Alias("pdsno.IDeviceGrain")]
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>Applies what discovery saw; persists and announces only what changed.</summary>
    [Alias("Observe")]
    Task<ObserveOutcome> ObserveAsync(string region, DeviceObservation observation);

    /// <summary>Records that discovery missed the device <paramref name="missedCycles"/> times in a row.</summary>
    [Alias("MarkMissed")]
    Task<DeviceStatus> MarkMissedAsync(string region, int missedCycles, int inactiveAfter);

    /// <summary>The device as known, or null when it was never discovered.</summary>
    [Alias("GetSnapshot"), Requires(Roles.Viewer)]
    Task<DeviceSnapshot?> GetSnapshotAsync();

    /// <summary>The neighbours the device reported last, empty while it is not ACTIVE.</summary>
    [Alias("GetNeighbors"), Requires(Roles.Viewer)]
    Task<ImmutableArray<Neighbor>> GetNeighborsAsync();

    /// <summary>The recent telemetry window, newest last.</summary>
    [Alias("GetTelemetry"), Requires(Roles.Viewer)]
    Task<ImmutableArray<TelemetrySample>> GetTelemetryAsync();

    /// <summary>The intended and observed config, drift, lock and degradation; null when the device was never discovered.</summary>
    [Alias("GetConfig"), Requires(Roles.Viewer)]
    Task<DeviceConfigView?> GetConfigAsync();

    /// <summary>
    /// The config for a proposal: when discovery reads only some sections (SNMP: system and interfaces), the others are
    /// read once through the config driver first, so a change never applies empty values for what nobody had read.
    /// </summary>
    [Alias("PrepareConfig"), AlwaysInterleave]
    Task<ConfigPreparation> PrepareConfigAsync(TimeSpan timeout);

    /// <summary>Takes the device's change lock for <paramref name="changeId"/>; returns null when held (again) by it, else the holder's id.</summary>
    [Alias("Lock")]
    Task<string?> LockAsync(string changeId);

    /// <summary>Releases the lock if <paramref name="changeId"/> holds it.</summary>
    [Alias("Unlock")]
    Task UnlockAsync(string changeId);

    /// <summary>
    /// Applies a whole config through the device's driver and reads it back; on success records a new version. Interleaves
    /// with the grain's other calls while the driver works, so a slow or hung device does not stall discovery or telemetry.
    /// </summary>
    [Alias("ApplyConfig"), AlwaysInterleave]
    Task<ConfigApplyOutcome> ApplyConfigAsync(ConfigApplyRequest request);

    /// <summary>Marks the device DEGRADED with the reason (a rollback of <paramref name="changeId"/> failed) and announces it.</summary>
    [Alias("MarkDegraded")]
    Task MarkDegradedAsync(string changeId, string reason);
}
