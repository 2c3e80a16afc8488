using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

/// <summary>A connectivity intent compiled: its paths by index or why it has none, whom it displaces, its conflicts.</summary>
public sealed class ConnectivityPlan
{
    /// <summary>The A and B device indexes.</summary>
    public int From { get; init; }

    /// <summary>The B device index.</summary>
    public int To { get; init; }

    /// <summary>The primary path's links, or null.</summary>
    public int[]? Links { get; set; }

    /// <summary>The backup path's links, or null.</summary>
    public int[]? BackupLinks { get; set; }

    /// <summary>Why the intent cannot be placed; null when it can.</summary>
    public string? Reason { get; set; }

    /// <summary>Lower-priority intents (by index) whose reservations it takes.</summary>
    public List<int> Displaced { get; } = [];

    /// <summary>Conflicts with other intents.</summary>
    public List<IntentConflict> Conflicts { get; } = [];

    /// <summary>Whether a path (and the backup asked for) was found.</summary>
    public bool Feasible => Reason is null && Links is not null;

    /// <summary>Every link the intent reserves: primary then backup.</summary>
    public IEnumerable<int> AllLinks => (Links ?? []).Concat(BackupLinks ?? []);
}

/// <summary>
/// Compiles connectivity intents: constrained shortest paths over UP links against a reserved-bandwidth array (the
/// ledger's, or a what-if copy), displacement of lower priorities, a disjoint backup, and the static routes that install
/// a path hop by hop in both directions.
/// </summary>
public sealed class ConnectivityCompiler(TopologyGraph graph, CapacityLedger ledger, Func<int, IEnumerable<int>> linksOfIntent)
{
    /// <summary>The metric of backup routes, so the primary's routes win while they exist.</summary>
    public const int BackupMetric = 100;

    private readonly PathFinder _finder = new(graph, ledger);

    /// <summary>
    /// Compiles <paramref name="spec"/> (already validated) against <paramref name="reserved"/>. With
    /// <paramref name="displace"/> a path may take capacity from intents of lower priority, listed in the plan;
    /// <paramref name="nameOf"/> names an intent index in conflicts and reasons.
    /// </summary>
    public ConnectivityPlan Compile(ConnectivitySpec spec, long[] reserved, bool displace, Func<int, string> nameOf, HashSet<int>? failedLinks = null, HashSet<int>? failedDevices = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(nameOf);
        var plan = new ConnectivityPlan { From = graph.DeviceIndex(spec.A.Device), To = graph.DeviceIndex(spec.B.Device) };
        if ((EndpointDown(spec.A, plan.From) ?? EndpointDown(spec.B, plan.To)) is { } down)
        {
            plan.Reason = down;
            return plan;
        }

        var constraints = Constraints(spec, reserved, failedLinks, failedDevices);
        plan.Links = _finder.Find(plan.From, plan.To, constraints);
        if (plan.Links is null && spec.MinBandwidthBps > 0 && displace)
        {
            var hard = HardReserved(spec.Priority);
            plan.Links = _finder.Find(plan.From, plan.To, Constraints(spec, hard, failedLinks, failedDevices));
            if (plan.Links is not null)
            {
                ChooseDisplaced(plan, spec, reserved);
            }
        }

        if (plan.Links is null)
        {
            plan.Reason = WhyNoPath(spec, reserved, displace, nameOf, plan, failedLinks, failedDevices);
            return plan;
        }

        if (spec.Protection != Protection.None)
        {
            var backup = Constraints(spec, reserved, failedLinks, failedDevices);
            backup.ExcludedLinks.UnionWith(plan.Links);
            if (spec.Protection == Protection.NodeDisjoint)
            {
                var devices = _finder.Devices(plan.From, plan.Links);
                backup.ExcludedDevices.UnionWith(devices[1..^1]);
            }

            plan.BackupLinks = _finder.Find(plan.From, plan.To, backup);
            if (plan.BackupLinks is null)
            {
                plan.Reason = $"no {(spec.Protection == Protection.NodeDisjoint ? "node" : "link")}-disjoint backup path from '{spec.A.Device}' to '{spec.B.Device}' within the constraints";
                plan.Displaced.Clear();
            }
        }

        return plan;
    }

    /// <summary>The path as device and link keys.</summary>
    public IntentPath PathOf(int from, int[] links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var devices = _finder.Devices(from, links);
        return new IntentPath([.. devices.Select(d => graph.Device(d).Key)], [.. links.Select(l => graph.Link(l).Key)]);
    }

    /// <summary>
    /// The static routes that install a plan: towards B's prefix on every device of the path but B, towards A's prefix on
    /// every device but A, each via the next device's address out of the path's interface; a backup path's routes carry
    /// <see cref="BackupMetric"/>. One patch per device.
    /// </summary>
    public ImmutableArray<DevicePatch> Routes(ConnectivitySpec spec, ConnectivityPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var routes = new Dictionary<int, List<StaticRoute>>();
        if (plan.Links is { } primary)
        {
            AddRoutes(spec, plan.From, primary, 0, routes);
        }

        if (plan.BackupLinks is { } backup)
        {
            AddRoutes(spec, plan.From, backup, BackupMetric, routes);
        }

        return [.. routes.Select(p => new DevicePatch(graph.Device(p.Key).Key, new ConfigPatch(AddRoutes: [.. p.Value])))];
    }

    /// <summary>The prefix an endpoint stands for: its own, or its device's address as a host prefix.</summary>
    public string PrefixOf(IntentEndpoint end)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (end.Prefix is { } prefix)
        {
            return prefix;
        }

        var address = graph.Device(graph.DeviceIndex(end.Device)).Address;
        return address.Contains(':', StringComparison.Ordinal) ? address + "/128" : address + "/32";
    }

    private void AddRoutes(ConnectivitySpec spec, int from, int[] links, int metric, Dictionary<int, List<StaticRoute>> routes)
    {
        var devices = _finder.Devices(from, links);
        var towardsB = PrefixOf(spec.B);
        var towardsA = PrefixOf(spec.A);
        for (var i = 0; i < links.Length; i++)
        {
            var (here, there) = (devices[i], devices[i + 1]);
            Add(routes, here, new StaticRoute(towardsB, graph.Device(there).Address, graph.InterfaceAt(links[i], here), metric));
            Add(routes, there, new StaticRoute(towardsA, graph.Device(here).Address, graph.InterfaceAt(links[i], there), metric));
        }
    }

    private static void Add(Dictionary<int, List<StaticRoute>> routes, int device, StaticRoute route)
    {
        if (!routes.TryGetValue(device, out var list))
        {
            routes[device] = list = [];
        }

        list.Add(route);
    }

    private string? EndpointDown(IntentEndpoint end, int device)
    {
        if (end.Interface is { } name && graph.Interface(device, name) is { } i && !(i.AdminUp && i.OperUp))
        {
            return $"interface '{name}' of '{end.Device}' is down";
        }

        return graph.IsActive(device) ? null : $"device '{end.Device}' is not ACTIVE";
    }

    private PathConstraints Constraints(ConnectivitySpec spec, long[] reserved, HashSet<int>? failedLinks, HashSet<int>? failedDevices) => new()
    {
        BandwidthBps = spec.MinBandwidthBps,
        MaxHops = spec.MaxHops ?? int.MaxValue,
        Reserved = reserved,
        ExcludedDevices = [.. Names(spec.AvoidDevices).Select(graph.DeviceIndex).Where(i => i >= 0)],
        ExcludedLinks = [.. Names(spec.AvoidLinks).Select(graph.LinkIndex).Where(i => i >= 0)],
        ExcludedRegions = [.. Names(spec.AvoidRegions).Select(graph.RegionIndex).Where(i => i >= 0)],
        Within = spec.StayWithinRegions.IsDefaultOrEmpty ? null : [.. spec.StayWithinRegions.Select(graph.RegionIndex).Where(i => i >= 0)],
        FailedLinks = failedLinks,
        FailedDevices = failedDevices,
    };

    // What intents a new one of this priority cannot displace hold on each link.
    private long[] HardReserved(int priority)
    {
        var hard = new long[graph.LinkCount];
        for (var l = 0; l < hard.Length; l++)
        {
            if (ledger.Reserved(l) > 0)
            {
                hard[l] = ledger.ReservedAtOrAbove(l, priority);
            }
        }

        return hard;
    }

    // Takes, link by link, the lowest priorities first until the path's bandwidth fits; an intent displaced frees all
    // its links at once.
    private void ChooseDisplaced(ConnectivityPlan plan, ConnectivitySpec spec, long[] reserved)
    {
        var freed = new Dictionary<int, long>();
        foreach (var link in plan.Links!)
        {
            var free = ledger.Capacity(graph.Link(link).SpeedBps) - ledger.Used(link, reserved[link] - freed.GetValueOrDefault(link));
            foreach (var holder in ledger.Holders(link).Where(h => h.Priority < spec.Priority).OrderBy(h => h.Priority).ThenByDescending(h => h.Bps))
            {
                if (free >= spec.MinBandwidthBps)
                {
                    break;
                }

                if (plan.Displaced.Contains(holder.Intent))
                {
                    continue;
                }

                plan.Displaced.Add(holder.Intent);
                free += holder.Bps;
                foreach (var other in linksOfIntent(holder.Intent).Where(l => l != link))
                {
                    freed[other] = freed.GetValueOrDefault(other) + holder.Bps;
                }
            }
        }
    }

    private string WhyNoPath(ConnectivitySpec spec, long[] reserved, bool displace, Func<int, string> nameOf, ConnectivityPlan plan, HashSet<int>? failedLinks, HashSet<int>? failedDevices)
    {
        var loose = Constraints(spec, reserved, failedLinks, failedDevices);
        var any = spec.MinBandwidthBps > 0 ? _finder.Find(plan.From, plan.To, new PathConstraints
        {
            BandwidthBps = 0,
            MaxHops = loose.MaxHops,
            Reserved = reserved,
            ExcludedDevices = loose.ExcludedDevices,
            ExcludedLinks = loose.ExcludedLinks,
            ExcludedRegions = loose.ExcludedRegions,
            Within = loose.Within,
            FailedLinks = failedLinks,
            FailedDevices = failedDevices,
        }) : null;
        if (any is null)
        {
            return $"no path over UP links from '{spec.A.Device}' to '{spec.B.Device}'{(spec.MaxHops is { } hops ? $" within {hops} hops" : "")} under the constraints";
        }

        // A path exists but not with the bandwidth: the intents holding its tightest links are the conflict.
        var tight = new List<string>();
        foreach (var link in any)
        {
            var capacity = ledger.Capacity(graph.Link(link).SpeedBps);
            var blocking = ledger.Used(link, displace ? ledger.ReservedAtOrAbove(link, spec.Priority) : reserved[link]);
            if (capacity - blocking >= spec.MinBandwidthBps)
            {
                continue;
            }

            var key = graph.Link(link).Key;
            tight.Add($"link '{key}' has {capacity - blocking} of {capacity} bps free");
            foreach (var holder in ledger.Holders(link).Where(h => !displace || h.Priority >= spec.Priority).OrderByDescending(h => h.Bps).Take(3))
            {
                plan.Conflicts.Add(new IntentConflict(
                    ConflictKind.Capacity, nameOf(holder.Intent),
                    $"intent '{nameOf(holder.Intent)}' (priority {holder.Priority}) holds {holder.Bps} bps on link '{key}', which cannot fit {spec.MinBandwidthBps} bps more at priority {spec.Priority}",
                    Link: key));
            }
        }

        return $"no path with {spec.MinBandwidthBps} bps free at priority {spec.Priority}: {string.Join("; ", tight.Take(3))}";
    }

    private static ImmutableArray<string> Names(ImmutableArray<string> values) => values.IsDefault ? [] : values;
}
