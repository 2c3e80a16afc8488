using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Grains.Changes;

/// <summary>One target of a proposal once its device is known: where it is, what it is, and its config before and after.</summary>
public sealed record PlannedTarget(string Device, string Label, string Region, string Role, DeviceConfig Before, DeviceConfig After);

/// <summary>
/// Impact and classification of a change, with no Orleans in them. The controllers of a region are taken to sit at
/// its core devices (role <c>core</c>), or, in a region without one, at its device with the most links: a device
/// is isolated by a change when it reaches one of them over UP links before the change and none after.
/// </summary>
public static class ChangeRules
{
    /// <summary>The role of the devices a region's controllers attach to.</summary>
    public const string ControllerRole = "core";

    /// <summary>True when the change disables an interface that is enabled now, the one thing that can take a link down.</summary>
    public static bool DisablesInterfaces(IEnumerable<PlannedTarget> targets) =>
        targets.Any(t => Disabled(t).Any());

    /// <summary>True when the change touches interface admin state or MTU, for which classification looks at links.</summary>
    public static bool TouchesInterfaces(IEnumerable<PlannedTarget> targets) =>
        targets.Any(t => ConfigDiff.Compute(t.Before, t.After).Any(d => d.Path.StartsWith("interfaces[", StringComparison.Ordinal) && !d.Path.EndsWith(".description", StringComparison.Ordinal)));

    /// <summary>The links that go down and the devices that lose every path to their region's controllers.</summary>
    public static ChangeImpact Impact(IReadOnlyList<PlannedTarget> targets, ChangeTopology topology)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(topology);
        var disabled = targets.SelectMany(t => Disabled(t).Select(i => (t.Device, i))).ToHashSet();
        if (disabled.Count == 0)
        {
            return ChangeImpact.None;
        }

        var down = topology.Links
            .Where(l => l.Up && (disabled.Contains((l.DeviceA, l.InterfaceA)) || disabled.Contains((l.DeviceB, l.InterfaceB))))
            .OrderBy(l => l.Link, StringComparer.Ordinal)
            .ToList();
        var downKeys = down.Select(l => l.Link).ToHashSet(StringComparer.Ordinal);
        var isolated = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var region in topology.Devices.GroupBy(d => d.Region, StringComparer.Ordinal))
        {
            var members = region.Select(d => d.Device).ToHashSet(StringComparer.Ordinal);
            var links = topology.Links.Where(l => l.Up && members.Contains(l.DeviceA) && members.Contains(l.DeviceB)).ToList();
            var controllers = Controllers(region.ToList(), links);
            var before = Reach(controllers, links);
            var after = Reach(controllers, links.Where(l => !downKeys.Contains(l.Link)));
            isolated.UnionWith(before.Where(d => !after.Contains(d)));
        }

        return new ChangeImpact(
            [.. down.Select(l => new LinkImpact(l.Link, l.DeviceA, l.InterfaceA, l.DeviceB, l.InterfaceB))],
            [.. isolated],
            []);
    }

    /// <summary>The sensitivity of a change and every reason for it, from the policy's rules.</summary>
    public static (Sensitivity Level, ImmutableArray<string> Reasons) Classify(
        IReadOnlyList<PlannedTarget> targets, ChangeTopology topology, ChangePolicy policy, bool emergency, bool intentRoutesLow = false,
        IReadOnlyList<(string Intent, IReadOnlyCollection<string> Devices)>? intents = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(policy);
        var reasons = new List<string>();
        var level = Sensitivity.Low;
        void Raise(Sensitivity to, string reason)
        {
            level = to > level ? to : level;
            reasons.Add(reason);
        }

        var mediumRoles = (policy.MediumRoles.IsDefault ? [] : policy.MediumRoles).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var t in targets)
        {
            if (mediumRoles.Contains(t.Role))
            {
                Raise(Sensitivity.Medium, $"{t.Label} is a {t.Role.ToLowerInvariant()} device");
            }

            var diff = ConfigDiff.Compute(t.Before, t.After);
            var paths = diff.Select(d => d.Path).ToList();
            if (paths.Contains("hostname"))
            {
                Raise(Sensitivity.Medium, $"{t.Label}: the hostname changes");
            }

            if (paths.Contains("ntpServers") || paths.Contains("dnsServers"))
            {
                Raise(Sensitivity.Medium, $"{t.Label}: NTP or DNS servers change");
            }

            if (paths.Any(p => p.StartsWith("routes[", StringComparison.Ordinal)))
            {
                Raise(intentRoutesLow ? Sensitivity.Low : Sensitivity.Medium, intentRoutesLow ? $"{t.Label}: static routes of an intent change (LOW by policy)" : $"{t.Label}: static routes change");
            }

            foreach (var name in paths.Where(p => p.StartsWith("interfaces[", StringComparison.Ordinal) && !p.EndsWith(".description", StringComparison.Ordinal))
                .Select(InterfaceOf).Distinct(StringComparer.Ordinal))
            {
                var link = topology.Links.FirstOrDefault(l => (l.DeviceA == t.Device && l.InterfaceA == name) || (l.DeviceB == t.Device && l.InterfaceB == name));
                Raise(Sensitivity.Medium, link is null
                    ? $"{t.Label}: interface {name} changes admin state or MTU"
                    : $"{t.Label}: interface {name} carries link {link.Link}");
            }
        }

        if (intents is null)
        {
            Spread(targets, "the change", policy, Raise);
        }
        else
        {
            // Several intents installed at once: each is judged as its own change would be.
            var byDevice = targets.ToDictionary(t => t.Device, StringComparer.Ordinal);
            foreach (var (intent, devices) in intents)
            {
                Spread([.. devices.Where(byDevice.ContainsKey).Select(d => byDevice[d])], $"intent {intent}", policy, Raise);
            }
        }

        if (level == Sensitivity.Low && reasons.Count == 0)
        {
            reasons.Add("only descriptions, location or contact change");
        }

        if (emergency)
        {
            Raise(Sensitivity.Emergency, "flagged as an emergency by the operator");
        }

        return (level, [.. reasons]);
    }

    // The device and region count rules, for one change or one intent of a change.
    private static void Spread(IReadOnlyList<PlannedTarget> targets, string what, ChangePolicy policy, Action<Sensitivity, string> raise)
    {
        var regions = targets.Select(t => t.Region).Distinct(StringComparer.Ordinal).Count();
        if (regions > policy.HighRegionCount)
        {
            raise(Sensitivity.High, $"{what} touches {regions} regions (more than {policy.HighRegionCount})");
        }

        if (targets.Count > policy.HighDeviceCount)
        {
            raise(Sensitivity.High, $"{what} touches {targets.Count} devices (more than {policy.HighDeviceCount})");
        }
    }

    /// <summary>
    /// The SHA-256 an execution token binds: the change id, and for every target (by device) the exact patch and the
    /// hashes of the config before and after. Any edit, or a device whose config moved, gives another hash.
    /// </summary>
    public static string TokenHash(string change, IEnumerable<ChangeTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var text = new StringBuilder(change).Append('\n');
        foreach (var t in targets.OrderBy(t => t.Device, StringComparer.Ordinal))
        {
            text.Append(t.Device).Append('\n')
                .Append(ChangeDocument.Serialize(t.Patch)).Append('\n')
                .Append(t.BeforeDigest).Append('\n')
                .Append(t.AfterDigest).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static IEnumerable<string> Disabled(PlannedTarget t) =>
        t.Before.Interfaces.Where(i => i.Enabled && t.After.Interface(i.Name) is { Enabled: false }).Select(i => i.Name);

    private static string InterfaceOf(string path)
    {
        var end = path.IndexOf(']', StringComparison.Ordinal);
        return path["interfaces[".Length..end];
    }

    private static HashSet<string> Controllers(List<TopologyDevice> devices, List<TopologyLink> links)
    {
        var core = devices.Where(d => string.Equals(d.Role, ControllerRole, StringComparison.OrdinalIgnoreCase)).Select(d => d.Device).ToHashSet(StringComparer.Ordinal);
        if (core.Count > 0 || devices.Count == 0)
        {
            return core;
        }

        var degree = devices.ToDictionary(d => d.Device, _ => 0, StringComparer.Ordinal);
        foreach (var l in links)
        {
            degree[l.DeviceA]++;
            degree[l.DeviceB]++;
        }

        var best = degree.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
        return [best];
    }

    private static HashSet<string> Reach(IEnumerable<string> from, IEnumerable<TopologyLink> links)
    {
        var adjacent = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var l in links)
        {
            (adjacent.TryGetValue(l.DeviceA, out var a) ? a : adjacent[l.DeviceA] = []).Add(l.DeviceB);
            (adjacent.TryGetValue(l.DeviceB, out var b) ? b : adjacent[l.DeviceB] = []).Add(l.DeviceA);
        }

        var seen = new HashSet<string>(from, StringComparer.Ordinal);
        var queue = new Queue<string>(seen);
        while (queue.TryDequeue(out var d))
        {
            foreach (var n in adjacent.GetValueOrDefault(d) ?? [])
            {
                if (seen.Add(n))
                {
                    queue.Enqueue(n);
                }
            }
        }

        return seen;
    }
}
