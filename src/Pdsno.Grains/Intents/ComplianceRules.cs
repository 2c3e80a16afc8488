using System.Collections.Immutable;
using System.Text;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

/// <summary>
/// Compliance intents without Orleans: which devices a selector takes, the patch each must carry, and where two
/// patches disagree.
/// </summary>
public static class ComplianceRules
{
    /// <summary>Whether the device at <paramref name="device"/> is selected.</summary>
    public static bool Selects(ComplianceSpec spec, TopologyGraph graph, int device)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(graph);
        ref readonly var d = ref graph.Device(device);
        return In(spec.Regions, graph.Region(d.Region))
            && In(spec.Roles, d.Role)
            && In(spec.Vendors, d.Vendor)
            && (spec.NamePattern is null || Glob(spec.NamePattern, d.Name));
    }

    /// <summary>The patch a selected device must carry.</summary>
    public static ConfigPatch PatchFor(ComplianceSpec spec, TopologyGraph graph, int device)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(graph);
        ref readonly var d = ref graph.Device(device);
        var region = graph.Region(d.Region);
        var interfaces = ImmutableArray.CreateBuilder<InterfacePatch>();
        foreach (var rule in spec.InterfaceRules.IsDefault ? [] : spec.InterfaceRules)
        {
            foreach (var i in graph.InterfacesOf(device))
            {
                if (!Glob(rule.NamePattern, i.Name) || interfaces.Any(p => p.Name == i.Name))
                {
                    continue;
                }

                var description = rule.Description is null ? null : Fill(rule.Description, d, region, i.Name, Peer(graph, device, i.Name));
                interfaces.Add(new InterfacePatch(i.Name, rule.Enabled, description));
            }
        }

        return new ConfigPatch(
            Location: spec.LocationTemplate is null ? null : Fill(spec.LocationTemplate, d, region, null, null),
            NtpServers: spec.NtpServers,
            DnsServers: spec.DnsServers,
            Interfaces: interfaces.ToImmutable());
    }

    /// <summary>Whether the intent disables <paramref name="interfaceName"/> on a device it selects.</summary>
    public static bool Disables(ComplianceSpec spec, TopologyGraph graph, int device, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.InterfaceRules.IsDefaultOrEmpty || !Selects(spec, graph, device))
        {
            return false;
        }

        // The first rule that names the interface decides, as in PatchFor.
        foreach (var rule in spec.InterfaceRules)
        {
            if (Glob(rule.NamePattern, interfaceName))
            {
                return rule.Enabled == false;
            }
        }

        return false;
    }

    /// <summary>The keys two patches of one device set to different values (<c>ntpServers</c>, <c>interfaces.eth0.enabled</c>...).</summary>
    public static IEnumerable<string> Disagreements(ConfigPatch a, ConfigPatch b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Location is not null && b.Location is not null && a.Location != b.Location)
        {
            yield return "location";
        }

        if (a.NtpServers is { } an && b.NtpServers is { } bn && !an.SequenceEqual(bn))
        {
            yield return "ntpServers";
        }

        if (a.DnsServers is { } ad && b.DnsServers is { } bd && !ad.SequenceEqual(bd))
        {
            yield return "dnsServers";
        }

        foreach (var x in a.Interfaces.IsDefault ? [] : a.Interfaces)
        {
            var y = (b.Interfaces.IsDefault ? [] : b.Interfaces).FirstOrDefault(p => p.Name == x.Name);
            if (y is null)
            {
                continue;
            }

            if (x.Enabled is not null && y.Enabled is not null && x.Enabled != y.Enabled)
            {
                yield return $"interfaces.{x.Name}.enabled";
            }

            if (x.Description is not null && y.Description is not null && x.Description != y.Description)
            {
                yield return $"interfaces.{x.Name}.description";
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/> (<c>*</c> any run, <c>?</c> one character; case-insensitive).</summary>
    public static bool Glob(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>The placeholders a template may use.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["{device}", "{name}", "{region}", "{role}", "{vendor}", "{interface}", "{peer}"];

    /// <summary>The first placeholder of a template that is not one of <see cref="Placeholders"/>, or null.</summary>
    public static string? UnknownPlaceholder(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var at = 0;
        while ((at = template.IndexOf('{', at)) >= 0)
        {
            var end = template.IndexOf('}', at);
            if (end < 0)
            {
                return template[at..];
            }

            var name = template[at..(end + 1)];
            if (!Placeholders.Contains(name))
            {
                return name;
            }

            at = end + 1;
        }

        return null;
    }

    private static string Fill(string template, in DeviceNode d, string region, string? interfaceName, string? peer) =>
        new StringBuilder(template)
            .Replace("{device}", d.Key)
            .Replace("{name}", d.Name)
            .Replace("{region}", region)
            .Replace("{role}", d.Role)
            .Replace("{vendor}", d.Vendor)
            .Replace("{interface}", interfaceName ?? "")
            .Replace("{peer}", peer ?? "")
            .ToString();

    private static string? Peer(TopologyGraph graph, int device, string interfaceName)
    {
        foreach (var link in graph.LinksOf(device))
        {
            if (graph.InterfaceAt(link, device) == interfaceName)
            {
                return graph.Device(graph.Other(link, device)).Name;
            }
        }

        return null;
    }

    private static bool In(ImmutableArray<string> allowed, string value) =>
        allowed.IsDefaultOrEmpty || allowed.Any(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
}
