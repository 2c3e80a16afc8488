using System.Collections.Immutable;
using System.Net;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

/// <summary>
/// Checks an intent against the tenant's graph before anything compiles: every error names its input field. An
/// intent that is well formed but cannot be satisfied now is not an error (it compiles to FAILED with the reason).
/// </summary>
public static class IntentValidation
{
    /// <summary>The lowest and highest priority.</summary>
    public const int MinPriority = 0, MaxPriority = 1000;

    /// <summary>The errors of <paramref name="spec"/>; empty when it may compile.</summary>
    public static ImmutableArray<IntentInputError> Check(IntentSpec spec, TopologyGraph graph)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(graph);
        var errors = ImmutableArray.CreateBuilder<IntentInputError>();
        switch (spec.Kind)
        {
            case IntentKind.Connectivity when spec.Connectivity is { } c && spec.Compliance is null:
                CheckConnectivity(c, graph, errors);
                break;
            case IntentKind.Compliance when spec.Compliance is { } c && spec.Connectivity is null:
                CheckCompliance(c, graph, errors);
                break;
            default:
                errors.Add(new IntentInputError(spec.Kind == IntentKind.Connectivity ? "connectivity" : "compliance", $"a {spec.Kind.ToString().ToLowerInvariant()} intent gives exactly its own spec"));
                break;
        }

        return errors.ToImmutable();
    }

    private static void CheckConnectivity(ConnectivitySpec c, TopologyGraph graph, ImmutableArray<IntentInputError>.Builder errors)
    {
        var a = CheckEndpoint(c.A, "connectivity.a", graph, errors);
        var b = CheckEndpoint(c.B, "connectivity.b", graph, errors);
        if (a >= 0 && a == b)
        {
            errors.Add(new("connectivity.b", $"b is device '{c.B.Device}' again; the two endpoints must be different devices"));
        }

        if (c.MinBandwidthBps < 0)
        {
            errors.Add(new("connectivity.minBandwidthBps", $"a bandwidth is not negative (got {c.MinBandwidthBps})"));
        }

        if (c.MaxHops is < 1)
        {
            errors.Add(new("connectivity.maxHops", $"maxHops is at least 1 (got {c.MaxHops})"));
        }

        if (c.Priority is < MinPriority or > MaxPriority)
        {
            errors.Add(new("connectivity.priority", $"priority is in {MinPriority}..{MaxPriority} (got {c.Priority})"));
        }

        var avoid = Array(c.AvoidDevices);
        for (var i = 0; i < avoid.Length; i++)
        {
            var d = graph.DeviceIndex(avoid[i]);
            if (d < 0)
            {
                errors.Add(new($"connectivity.avoidDevices[{i}]", $"unknown device '{avoid[i]}'"));
            }
            else if (d == a || d == b)
            {
                errors.Add(new($"connectivity.avoidDevices[{i}]", $"'{avoid[i]}' is an endpoint; a path cannot avoid its own end"));
            }
        }

        var links = Array(c.AvoidLinks);
        for (var i = 0; i < links.Length; i++)
        {
            if (graph.LinkIndex(links[i]) < 0)
            {
                errors.Add(new($"connectivity.avoidLinks[{i}]", $"unknown link '{links[i]}'"));
            }
        }

        var avoidRegions = Array(c.AvoidRegions);
        var within = Array(c.StayWithinRegions);
        foreach (var r in avoidRegions.Intersect(within, StringComparer.Ordinal))
        {
            errors.Add(new("connectivity.avoidRegions", $"region '{r}' is both avoided and in stayWithinRegions"));
        }

        foreach (var (end, index, field) in new[] { (c.A, a, "connectivity.a"), (c.B, b, "connectivity.b") })
        {
            if (index < 0)
            {
                continue;
            }

            var region = graph.Region(graph.Device(index).Region);
            if (avoidRegions.Contains(region, StringComparer.Ordinal))
            {
                errors.Add(new("connectivity.avoidRegions", $"{field[^1..]}'s device '{end.Device}' is in avoided region '{region}'"));
            }

            if (within.Length > 0 && !within.Contains(region, StringComparer.Ordinal))
            {
                errors.Add(new("connectivity.stayWithinRegions", $"{field[^1..]}'s device '{end.Device}' is in region '{region}', outside stayWithinRegions"));
            }
        }
    }

    private static int CheckEndpoint(IntentEndpoint end, string field, TopologyGraph graph, ImmutableArray<IntentInputError>.Builder errors)
    {
        var device = string.IsNullOrWhiteSpace(end.Device) ? -1 : graph.DeviceIndex(end.Device);
        if (device < 0)
        {
            errors.Add(new($"{field}.device", string.IsNullOrWhiteSpace(end.Device) ? "a device is required" : $"unknown device '{end.Device}'"));
            return -1;
        }

        if (end.Interface is { } name && graph.Interface(device, name) is null)
        {
            errors.Add(new($"{field}.interface", $"device '{end.Device}' has no interface '{name}'"));
        }

        if (end.Prefix is { } prefix && !IPNetwork.TryParse(prefix, out _))
        {
            errors.Add(new($"{field}.prefix", $"'{prefix}' is not a prefix (address/length)"));
        }

        if (end.Interface is not null && end.Prefix is not null)
        {
            errors.Add(new(field, "an endpoint is a device, an interface of it, or a prefix behind it: give at most one of interface and prefix"));
        }

        return device;
    }

    private static void CheckCompliance(ComplianceSpec c, TopologyGraph graph, ImmutableArray<IntentInputError>.Builder errors)
    {
        var rules = Array(c.InterfaceRules);
        var regions = Array(c.Regions);
        for (var i = 0; i < regions.Length; i++)
        {
            if (graph.RegionIndex(regions[i]) < 0)
            {
                errors.Add(new($"compliance.regions[{i}]", $"unknown region '{regions[i]}'"));
            }
        }

        // The filled texts go to devices through a change, whose rules they must pass: say so now, naming the field.
        CheckText(c.LocationTemplate, "compliance.locationTemplate", errors);
        for (var i = 0; i < rules.Length; i++)
        {
            CheckText(rules[i].Description, $"compliance.interfaceRules[{i}].description", errors);
        }

        if (c.NtpServers is null && c.DnsServers is null && c.LocationTemplate is null && rules.Length == 0)
        {
            errors.Add(new("compliance", "a compliance intent sets at least one of ntpServers, dnsServers, locationTemplate, interfaceRules"));
        }

        CheckServers(c.NtpServers, "compliance.ntpServers", errors);
        CheckServers(c.DnsServers, "compliance.dnsServers", errors);
        if (c.LocationTemplate is { } location && ComplianceRules.UnknownPlaceholder(location) is { } bad)
        {
            errors.Add(new("compliance.locationTemplate", $"unknown placeholder '{bad}'; use {string.Join(", ", ComplianceRules.Placeholders)}"));
        }

        for (var i = 0; i < rules.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(rules[i].NamePattern))
            {
                errors.Add(new($"compliance.interfaceRules[{i}].namePattern", "a name pattern is required"));
            }

            if (rules[i].Description is null && rules[i].Enabled is null)
            {
                errors.Add(new($"compliance.interfaceRules[{i}]", "a rule sets description or enabled"));
            }

            if (rules[i].Description is { } d && ComplianceRules.UnknownPlaceholder(d) is { } p)
            {
                errors.Add(new($"compliance.interfaceRules[{i}].description", $"unknown placeholder '{p}'"));
            }
        }
    }

    private static void CheckText(string? template, string field, ImmutableArray<IntentInputError>.Builder errors)
    {
        if (template is not null && (template.Length > Changes.ChangeValidation.MaxText || template.Any(char.IsControl)))
        {
            errors.Add(new(field, $"at most {Changes.ChangeValidation.MaxText} characters without control characters"));
        }
    }

    private static void CheckServers(ImmutableArray<string>? servers, string field, ImmutableArray<IntentInputError>.Builder errors)
    {
        var list = servers is { IsDefault: false } s ? s : [];
        for (var i = 0; i < list.Length; i++)
        {
            if (!IPAddress.TryParse(list[i], out _))
            {
                errors.Add(new($"{field}[{i}]", $"'{list[i]}' is not an IP address"));
            }
        }
    }

    private static ImmutableArray<T> Array<T>(ImmutableArray<T> values) => values.IsDefault ? [] : values;
}
