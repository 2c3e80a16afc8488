using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

/// <summary>One key a device's config sets otherwise than a compliance intent wants.</summary>
/// <param name="Key">The key (<c>location</c>, <c>ntpServers</c>, <c>interfaces.eth0.enabled</c>...).</param>
/// <param name="Has">What the config holds, as shown to a person.</param>
/// <param name="Wants">What the intent wants, as shown to a person.</param>
/// <param name="Section">The config section the key belongs to (drift is judged only on sections a driver read).</param>
public sealed record ComplianceDifference(string Key, string Has, string Wants, ConfigSections Section)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: has {Has}, wants {Wants}";
}

/// <summary>
/// Whether a device's config carries a compliance intent's patch, without Orleans: the keys that differ, the smallest
/// patch that makes it comply, and the verdict over its intended and observed config.
/// </summary>
public static class ComplianceCheck
{
    /// <summary>The keys of <paramref name="wanted"/> that <paramref name="config"/> sets otherwise, in patch order.</summary>
    public static IReadOnlyList<ComplianceDifference> Differences(ConfigPatch wanted, DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(config);
        var has = config.Canonical();
        var differences = new List<ComplianceDifference>();
        if (wanted.Location is { } location && has.Location != location)
        {
            differences.Add(new("location", Quote(has.Location), Quote(location), ConfigSections.System));
        }

        if (wanted.NtpServers is { } ntp && Servers(ntp) is var wantNtp && !has.NtpServers.SequenceEqual(wantNtp))
        {
            differences.Add(new("ntpServers", List(has.NtpServers), List(wantNtp), ConfigSections.Services));
        }

        if (wanted.DnsServers is { } dns && Servers(dns) is var wantDns && !has.DnsServers.SequenceEqual(wantDns))
        {
            differences.Add(new("dnsServers", List(has.DnsServers), List(wantDns), ConfigSections.Services));
        }

        foreach (var p in wanted.Interfaces.IsDefault ? [] : wanted.Interfaces)
        {
            // An interface the device no longer has cannot be set; the intent's next compile drops it.
            if (has.Interface(p.Name) is not { } i)
            {
                continue;
            }

            if (p.Enabled is { } enabled && i.Enabled != enabled)
            {
                differences.Add(new($"interfaces.{p.Name}.enabled", Flag(i.Enabled), Flag(enabled), ConfigSections.Interfaces));
            }

            if (p.Description is { } description && i.Description != description)
            {
                differences.Add(new($"interfaces.{p.Name}.description", Quote(i.Description), Quote(description), ConfigSections.Interfaces));
            }
        }

        return differences;
    }

    /// <summary>
    /// The part of <paramref name="wanted"/> that <paramref name="config"/> does not carry yet, or null when it complies:
    /// a change carries only what moves, so a location fixed alone stays a LOW change.
    /// </summary>
    public static ConfigPatch? Remedy(ConfigPatch wanted, DeviceConfig config) => Remedy(wanted, Differences(wanted, config));

    /// <summary>
    /// Judges a device: its intended config must carry the intent's values, and where the device's observed config has
    /// drifted, the sections the driver read must carry them too. Each reason names the key, what it has and what it wants.
    /// </summary>
    public static DeviceCompliance Judge(string device, ConfigPatch wanted, DeviceConfigView? view)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(wanted);
        if (view is null)
        {
            return new DeviceCompliance(device, false, ["config: the device's config is not known yet"]);
        }

        var reasons = Differences(wanted, view.Intended).Select(d => d.ToString()).ToList();
        reasons.AddRange(ObservedOnly(wanted, view).Select(d => $"observed {d}"));
        return new DeviceCompliance(device, reasons.Count == 0, [.. reasons]);
    }

    /// <summary>
    /// What a change must carry for the device to comply, or null when it does: the keys its intended config lacks, or,
    /// when only its running config drifted, the keys to put back (the change applies the intended config again).
    /// </summary>
    public static ConfigPatch? RemedyFor(ConfigPatch wanted, DeviceConfigView view)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(view);
        return Remedy(wanted, Differences(wanted, view.Intended)) ?? Remedy(wanted, ObservedOnly(wanted, view));
    }

    // Keys the observed config of a drifted device differs in, within the sections its driver read, that the intended
    // config does not already differ in.
    private static IReadOnlyList<ComplianceDifference> ObservedOnly(ConfigPatch wanted, DeviceConfigView view)
    {
        if (view.Observed is not { } observed || view.Drift.IsDefaultOrEmpty)
        {
            return [];
        }

        var intended = Differences(wanted, view.Intended).Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        return [.. Differences(wanted, observed).Where(d => view.Sections.HasFlag(d.Section) && !intended.Contains(d.Key))];
    }

    private static ConfigPatch? Remedy(ConfigPatch wanted, IReadOnlyList<ComplianceDifference> differences)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        if (differences.Count == 0)
        {
            return null;
        }

        var keys = differences.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var interfaces = (wanted.Interfaces.IsDefault ? [] : wanted.Interfaces)
            .Select(p => new InterfacePatch(
                p.Name,
                keys.Contains($"interfaces.{p.Name}.enabled") ? p.Enabled : null,
                keys.Contains($"interfaces.{p.Name}.description") ? p.Description : null))
            .Where(p => !p.IsEmpty)
            .ToImmutableArray();
        return new ConfigPatch(
            Location: keys.Contains("location") ? wanted.Location : null,
            NtpServers: keys.Contains("ntpServers") ? wanted.NtpServers : null,
            DnsServers: keys.Contains("dnsServers") ? wanted.DnsServers : null,
            Interfaces: interfaces);
    }

    // Compared as the device keeps them: trimmed, without repeats, in order.
    private static ImmutableArray<string> Servers(ImmutableArray<string> servers) =>
        (DeviceConfig.Empty("") with { NtpServers = servers }).Canonical().NtpServers;

    private static string List(ImmutableArray<string> servers) => $"[{string.Join(", ", servers)}]";

    private static string Quote(string text) => $"'{text}'";

    private static string Flag(bool value) => value ? "true" : "false";
}
