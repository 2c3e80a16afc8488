using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Devices;

/// <summary>A device's config as its grain keeps it, free of Orleans.</summary>
public sealed record ConfigTruth(
    ConfigVersion? Intended,
    DeviceConfig? Observed,
    ConfigSections Sections,
    bool Drift,
    string? LockedBy);

/// <summary>What an observation does to a device's config: the next config truth, its events, and whether it must be written.</summary>
public sealed record ConfigStep(ConfigTruth Next, IReadOnlyList<DeviceChange> Changes, ConfigVersion? NewVersion, bool Persist);

/// <summary>
/// How observations and applies change a device's config: the baseline, drift (announced once when it appears and once
/// when it clears), and DEGRADED, which discovery keeps: only a successful apply (a later change or a restore) ends it.
/// </summary>
public static class ConfigRules
{
    /// <summary>Who set a baseline: the first observation, not a change.</summary>
    public const string DiscoveryActor = "discovery";

    /// <summary>The most drift paths an event names; the rest are counted.</summary>
    public const int MaxDriftPathsInEvent = 10;

    /// <summary>
    /// The config a device is first known with: what the driver read, or, when it reads none, one built from the
    /// observation (hostname = name, interfaces enabled as their admin status says, MTU 1500, no routes or servers).
    /// </summary>
    public static DeviceConfig Baseline(DeviceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.Config is { } config && observation.ConfigSections != ConfigSections.None)
        {
            return config.Canonical();
        }

        var interfaces = (observation.Interfaces.IsDefault ? [] : observation.Interfaces)
            .DistinctBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => new InterfaceConfig(i.Name, i.Admin == AdminStatus.Up, "", DeviceConfig.DefaultMtu));
        return (DeviceConfig.Empty(observation.Name) with { Interfaces = [.. interfaces] }).Canonical();
    }

    /// <summary>The intended config with the <paramref name="missing"/> sections taken from what the config driver read.</summary>
    public static DeviceConfig Fill(DeviceConfig intended, DeviceConfig read, ConfigSections missing)
    {
        ArgumentNullException.ThrowIfNull(intended);
        ArgumentNullException.ThrowIfNull(read);
        var system = missing.HasFlag(ConfigSections.System);
        var services = missing.HasFlag(ConfigSections.Services);
        return new DeviceConfig(
            system ? read.Hostname : intended.Hostname,
            system ? read.Location : intended.Location,
            system ? read.Contact : intended.Contact,
            services ? read.NtpServers : intended.NtpServers,
            services ? read.DnsServers : intended.DnsServers,
            missing.HasFlag(ConfigSections.Interfaces) ? read.Interfaces : intended.Interfaces,
            missing.HasFlag(ConfigSections.Routes) ? read.Routes : intended.Routes).Canonical();
    }

    /// <summary>The differences from intended to observed within what the driver reads; empty when it reads nothing.</summary>
    public static ImmutableArray<ConfigDiffEntry> Drift(DeviceConfig intended, DeviceConfig? observed, ConfigSections sections)
    {
        ArgumentNullException.ThrowIfNull(intended);
        return observed is null || sections == ConfigSections.None
            ? []
            : ConfigDiff.Compute(intended.Only(sections), observed.Only(sections));
    }

    /// <summary>
    /// Applies an observation to the config: the first sets the baseline (version 1, by discovery); a config read by the
    /// driver becomes the observed one, and drift is judged, except while a change holds the lock (its steps make the
    /// device differ on purpose).
    /// </summary>
    public static ConfigStep Observe(ConfigTruth current, DeviceObservation observation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(observation);
        var newVersion = current.Intended is null ? new ConfigVersion(1, Baseline(observation), null, DiscoveryActor, now, false) : null;
        var intended = current.Intended ?? newVersion!;
        var read = observation.Config is not null && observation.ConfigSections != ConfigSections.None;
        var observed = read ? observation.Config!.Canonical() : current.Observed;
        var sections = read ? observation.ConfigSections : current.Sections;
        var changes = new List<DeviceChange>();
        var drift = current.Drift;
        if (current.LockedBy is null)
        {
            drift = Judge(current.Drift, Drift(intended.Config, observed, sections), changes);
        }

        var next = new ConfigTruth(intended, observed, sections, drift, current.LockedBy);
        var persist = newVersion is not null || changes.Count > 0 || sections != current.Sections || !Same(observed, current.Observed);
        return new ConfigStep(next, changes, newVersion, persist);
    }

    /// <summary>Whether the device drifts now, adding CONFIG_DRIFT or CONFIG_DRIFT_CLEARED when that differs from <paramref name="wasDrifting"/>.</summary>
    public static bool Judge(bool wasDrifting, ImmutableArray<ConfigDiffEntry> drift, List<DeviceChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var drifting = drift.Length > 0;
        if (drifting && !wasDrifting)
        {
            var paths = drift.Take(MaxDriftPathsInEvent).Select(d => d.Path).ToList();
            if (drift.Length > MaxDriftPathsInEvent)
            {
                paths.Add($"{drift.Length - MaxDriftPathsInEvent} more");
            }

            changes.Add(new DeviceChange(TopologyEventType.ConfigDrift, null, null, string.Join(", ", paths)));
        }
        else if (!drifting && wasDrifting)
        {
            changes.Add(new DeviceChange(TopologyEventType.ConfigDriftCleared, null, null, null));
        }

        return drifting;
    }

    /// <summary>
    /// Keeps a DEGRADED device DEGRADED through discovery: the rules of <see cref="DeviceRules"/> make a seen device ACTIVE,
    /// which for a device with a <paramref name="degradedReason"/> means DEGRADED (missed cycles still make it
    /// UNREACHABLE or INACTIVE; seen again, it is DEGRADED again until an apply succeeds).
    /// </summary>
    public static (DeviceTruth Next, List<DeviceChange> Changes) KeepDegraded(DeviceTruth current, DeviceTruth next, List<DeviceChange> changes, string? degradedReason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(changes);
        if (degradedReason is null || next.Status != DeviceStatus.Active)
        {
            return (next, changes);
        }

        var active = ReadModel.Status(DeviceStatus.Active);
        var kept = changes.Where(c => !(c.Type == TopologyEventType.DeviceStatusChanged && c.NewValue == active)).ToList();
        if (current.Status == DeviceStatus.Degraded)
        {
            return (next with { Status = DeviceStatus.Degraded, StatusSince = current.StatusSince }, kept);
        }

        kept.Add(new DeviceChange(TopologyEventType.DeviceStatusChanged, null, ReadModel.Status(current.Status), ReadModel.Status(DeviceStatus.Degraded)));
        return (next with { Status = DeviceStatus.Degraded, StatusSince = now }, kept);
    }

    /// <summary>Whether a read-back shows the desired config, within what the driver reads; the differences otherwise.</summary>
    public static ImmutableArray<ConfigDiffEntry> ReadBackDifferences(DeviceConfig desired, DeviceConfig readBack, ConfigSections sections)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(readBack);
        return ConfigDiff.Compute(desired.Only(sections), readBack.Only(sections));
    }

    private static bool Same(DeviceConfig? a, DeviceConfig? b) => a is null ? b is null : a.SameAs(b);
}
