using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Devices;

/// <summary>The device's durable truth, free of Orleans, so the rules below can be tested on their own.</summary>
public sealed record DeviceTruth(
    DeviceIdentity? Identity,
    string Region,
    DeviceStatus Status,
    DateTimeOffset StatusSince,
    DateTimeOffset FirstSeen,
    ImmutableArray<InterfaceState> Interfaces,
    ImmutableArray<Neighbor> Neighbors,
    ImmutableArray<string> Problems);

/// <summary>A change found by the rules, before it becomes an event with a version.</summary>
public sealed record DeviceChange(TopologyEventType Type, string? Interface, string? OldValue, string? NewValue);

/// <summary>How observations and missed cycles change a device.</summary>
public static class DeviceRules
{
    /// <summary>The most problems kept on one device; a device that reports more has one more saying how many were left out.</summary>
    public const int MaxProblems = 32;

    /// <summary>The longest problem text kept.</summary>
    public const int MaxProblemLength = 240;

    /// <summary>
    /// Applies an observation. Returns the next truth and the changes; no changes means nothing to persist
    /// (counters are telemetry and never count as a change).
    /// </summary>
    public static (DeviceTruth Next, List<DeviceChange> Changes) Observe(DeviceTruth current, string region, DeviceObservation observation, DateTimeOffset now)
    {
        var changes = new List<DeviceChange>();
        var identity = new DeviceIdentity(observation.ChassisId, observation.Name, observation.Vendor, observation.Model, observation.OsVersion, observation.ManagementAddress, observation.Role);
        var isNew = current.Identity is null;
        if (isNew)
        {
            changes.Add(new DeviceChange(TopologyEventType.DeviceAdded, null, null, observation.Name));
        }
        else if (current.Identity != identity || current.Region != region)
        {
            changes.Add(new DeviceChange(TopologyEventType.DeviceChanged, null, Describe(current.Identity!, current.Region), Describe(identity, region)));
        }

        var status = current.Status;
        var statusSince = current.StatusSince;
        if (isNew)
        {
            status = DeviceStatus.Active;
            statusSince = now;
        }
        else if (current.Status != DeviceStatus.Active)
        {
            changes.Add(new DeviceChange(TopologyEventType.DeviceStatusChanged, null, ReadModel.Status(current.Status), ReadModel.Status(DeviceStatus.Active)));
            status = DeviceStatus.Active;
            statusSince = now;
        }

        var interfaces = NormaliseInterfaces(observation.Interfaces);
        if (!isNew)
        {
            DiffInterfaces(current.Interfaces, interfaces, changes);
        }

        var neighbors = (observation.Neighbors.IsDefault ? [] : observation.Neighbors)
            .Select(n => new Neighbor(n.LocalInterface, n.RemoteChassisId, n.RemotePort))
            .Distinct()
            .OrderBy(n => n.LocalInterface, StringComparer.Ordinal)
            .ThenBy(n => n.RemoteChassisId, StringComparer.Ordinal)
            .ToImmutableArray();

        // Neighbour tables are durable truth but announce nothing themselves: links are the region's events.
        var next = new DeviceTruth(identity, region, status, statusSince, isNew ? now : current.FirstSeen, interfaces, neighbors, Problems(observation));
        return (next, changes);
    }

    /// <summary>True when the next truth differs from the current in anything that is persisted.</summary>
    public static bool Differs(DeviceTruth current, DeviceTruth next) =>
        current.Identity != next.Identity
        || current.Region != next.Region
        || current.Status != next.Status
        || !current.Interfaces.SequenceEqual(next.Interfaces)
        || !current.Neighbors.SequenceEqual(next.Neighbors)
        || !current.Problems.SequenceEqual(next.Problems);

    /// <summary>Applies a run of missed cycles: UNREACHABLE from the first, INACTIVE from <paramref name="inactiveAfter"/>.</summary>
    public static (DeviceTruth Next, DeviceChange? Change) Missed(DeviceTruth current, int missedCycles, int inactiveAfter, DateTimeOffset now)
    {
        if (current.Identity is null || missedCycles < 1)
        {
            return (current, null);
        }

        var status = missedCycles >= inactiveAfter ? DeviceStatus.Inactive : DeviceStatus.Unreachable;
        // A device already INACTIVE stays so until it is seen again, even if the limit was raised meanwhile.
        if (current.Status == DeviceStatus.Inactive || status == current.Status)
        {
            return (current, null);
        }

        var next = current with { Status = status, StatusSince = now };
        return (next, new DeviceChange(TopologyEventType.DeviceStatusChanged, null, ReadModel.Status(current.Status), ReadModel.Status(status)));
    }

    /// <summary>
    /// What is wrong with a device's data: the driver's own findings and what no device should report (an interface
    /// index or name twice, an interface up at speed 0, a negative speed). Sorted and bounded, so the same answers
    /// give the same list and an unchanged device writes nothing.
    /// </summary>
    public static ImmutableArray<string> Problems(DeviceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if (!observation.Problems.IsDefault)
        {
            foreach (var problem in observation.Problems.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                found.Add(problem.Trim());
            }
        }

        var interfaces = observation.Interfaces.IsDefault ? [] : observation.Interfaces;
        foreach (var index in interfaces.GroupBy(i => i.Index).Where(g => g.Count() > 1))
        {
            found.Add($"ifIndex {index.Key} is reported {index.Count()} times ({string.Join(", ", index.Select(i => i.Name).Order(StringComparer.Ordinal))})");
        }

        foreach (var name in interfaces.GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            found.Add($"interface name {name.Key} is reported {name.Count()} times; the first is kept");
        }

        foreach (var i in interfaces)
        {
            if (i.SpeedBps < 0)
            {
                found.Add($"interface {i.Name} reports a negative speed {i.SpeedBps}");
            }
            else if (i.SpeedBps == 0 && i.Oper == OperStatus.Up)
            {
                found.Add($"interface {i.Name} is up at speed 0; its utilization is unknown");
            }
        }

        var kept = found.Select(p => p.Length <= MaxProblemLength ? p : p[..(MaxProblemLength - 1)] + "…").Distinct(StringComparer.Ordinal).ToList();
        return kept.Count <= MaxProblems
            ? [.. kept]
            : [.. kept.Take(MaxProblems - 1), $"{kept.Count - (MaxProblems - 1)} more problems not kept"];
    }

    // Devices that report an interface name twice keep the first: the name is the interface's key.
    private static ImmutableArray<InterfaceState> NormaliseInterfaces(ImmutableArray<InterfaceObservation> observed) =>
        observed.IsDefault
            ? []
            : observed.DistinctBy(i => i.Name, StringComparer.Ordinal)
                .Select(i => new InterfaceState(i.Index, i.Name, i.Mac, i.SpeedBps, i.Admin, i.Oper))
                .OrderBy(i => i.Index)
                .ThenBy(i => i.Name, StringComparer.Ordinal)
                .ToImmutableArray();

    private static void DiffInterfaces(ImmutableArray<InterfaceState> before, ImmutableArray<InterfaceState> after, List<DeviceChange> changes)
    {
        var old = before.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var now in after)
        {
            if (!old.Remove(now.Name, out var was))
            {
                changes.Add(new DeviceChange(TopologyEventType.InterfaceAdded, now.Name, null, Describe(now)));
            }
            else if (was != now)
            {
                changes.Add(new DeviceChange(TopologyEventType.InterfaceChanged, now.Name, Describe(was), Describe(now)));
            }
        }

        foreach (var gone in old.Values.OrderBy(i => i.Index))
        {
            changes.Add(new DeviceChange(TopologyEventType.InterfaceRemoved, gone.Name, Describe(gone), null));
        }
    }

    private static string Describe(DeviceIdentity identity, string region) =>
        $"chassis={identity.ChassisId} name={identity.Name} role={identity.Role} vendor={identity.Vendor} model={identity.Model} os={identity.OsVersion} address={identity.ManagementAddress} region={region}";

    private static string Describe(InterfaceState i) => $"oper={ReadModel.Status(i.Oper)} admin={ReadModel.Status(i.Admin)} speed={i.SpeedBps}";
}
