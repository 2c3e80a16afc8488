using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Grains.Changes;

/// <summary>
/// The checks a proposal passes before anything is stored. Each refusal names the input field as a path
/// (<c>input, targets, 1, patch, interfaces, eth9</c>) and says it in the message (<c>targets[1].patch.interfaces[eth9]: ...</c>).
/// </summary>
public static class ChangeValidation
{
    /// <summary>The longest title.</summary>
    public const int MaxTitle = 200;

    /// <summary>The longest reason or comment.</summary>
    public const int MaxReason = 2000;

    /// <summary>The longest location, contact or interface description.</summary>
    public const int MaxText = 255;

    /// <summary>The most NTP or DNS servers.</summary>
    public const int MaxServers = 8;

    /// <summary>The most routes one patch adds or removes.</summary>
    public const int MaxRoutes = 1000;

    /// <summary>Checks what needs no device: the texts, the shape of each patch and its values.</summary>
    public static IReadOnlyList<ChangeRefusal> CheckShape(ChangeProposal proposal, ChangePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<ChangeRefusal>();
        if (string.IsNullOrWhiteSpace(proposal.Title) || proposal.Title.Length > MaxTitle || HasControl(proposal.Title))
        {
            errors.Add(Bad($"title: a title is 1 to {MaxTitle} characters without control characters", "title"));
        }

        if (proposal.Reason is { } reason && (reason.Length > MaxReason || HasControl(reason, allowNewLines: true)))
        {
            errors.Add(Bad($"reason: a reason is at most {MaxReason} characters without control characters", "reason"));
        }

        if (proposal.Emergency && string.IsNullOrWhiteSpace(proposal.Reason))
        {
            errors.Add(Bad("reason: an emergency change needs a reason", "reason"));
        }

        var targets = proposal.Targets.IsDefault ? [] : proposal.Targets;
        if (targets.Length == 0)
        {
            errors.Add(Bad("targets: a change needs at least one target", "targets"));
        }
        else if (targets.Length > policy.MaxTargets)
        {
            errors.Add(Bad($"targets: {targets.Length} targets exceed the policy's limit of {policy.MaxTargets}", "targets"));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Length && i < policy.MaxTargets; i++)
        {
            var target = targets[i];
            if (string.IsNullOrWhiteSpace(target.Device))
            {
                errors.Add(Bad($"targets[{i}].deviceId: a device is required", "targets", Index(i), "deviceId"));
            }
            else if (!seen.TryAdd(target.Device, i))
            {
                errors.Add(Bad($"targets[{i}].deviceId: device '{target.Device}' is already targets[{seen[target.Device]}]; give each device once", "targets", Index(i), "deviceId"));
            }

            if (target.Patch is null)
            {
                errors.Add(Bad($"targets[{i}].patch: a patch is required", "targets", Index(i), "patch"));
                continue;
            }

            CheckPatch(errors, i, target.Patch);
        }

        return errors;
    }

    /// <summary>
    /// Checks a patch against the device's current intended config; <paramref name="device"/> names it in messages. A
    /// patch that changes nothing there is still a change when the device's <paramref name="drifted"/> running config
    /// differs in what it names: applying it puts the intended config back on the device.
    /// </summary>
    public static IReadOnlyList<ChangeRefusal> CheckAgainst(int index, string device, ConfigPatch patch, DeviceConfig current, DeviceConfig? drifted = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(current);
        var errors = new List<ChangeRefusal>();
        var names = current.Interfaces.IsDefault ? [] : current.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var p in Array(patch.Interfaces))
        {
            if (!names.Contains(p.Name))
            {
                errors.Add(Bad($"targets[{index}].patch.interfaces[{p.Name}]: no interface {p.Name} on device {device}", "targets", Index(index), "patch", "interfaces", p.Name));
            }
        }

        var add = Array(patch.AddRoutes);
        for (var r = 0; r < add.Length; r++)
        {
            if (add[r].Interface is { } via && !names.Contains(via))
            {
                errors.Add(Bad($"targets[{index}].patch.addRoutes[{r}].interface: no interface {via} on device {device}", "targets", Index(index), "patch", "addRoutes", Index(r), "interface"));
            }
        }

        var routes = current.Routes.IsDefault ? [] : current.Routes;
        var remove = Array(patch.RemoveRoutes);
        for (var r = 0; r < remove.Length; r++)
        {
            var x = remove[r];
            if (!routes.Any(route => SameNetwork(route.Prefix, x.Prefix) && (x.NextHop is null || SameAddress(route.NextHop, x.NextHop))))
            {
                errors.Add(Bad($"targets[{index}].patch.removeRoutes[{r}]: device {device} has no route {x.Prefix}{(x.NextHop is null ? "" : " via " + x.NextHop)}", "targets", Index(index), "patch", "removeRoutes", Index(r)));
            }
        }

        if (errors.Count == 0 && patch.ApplyTo(current).SameAs(current) && (drifted is null || patch.ApplyTo(drifted).SameAs(drifted)))
        {
            errors.Add(Bad($"targets[{index}].patch: the patch changes nothing on device {device}", "targets", Index(index), "patch"));
        }

        return errors;
    }

    /// <summary>The patch with its lists never default and its addresses in canonical text, as it is stored and hashed.</summary>
    public static ConfigPatch Normalize(ConfigPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return patch with
        {
            NtpServers = patch.NtpServers is { } ntp ? [.. ntp.Select(s => s.Trim())] : null,
            DnsServers = patch.DnsServers is { } dns ? [.. dns.Select(s => CanonicalAddress(s.Trim()))] : null,
            Interfaces = [.. Array(patch.Interfaces)],
            AddRoutes = [.. Array(patch.AddRoutes).Select(r => r with { Prefix = CanonicalNetwork(r.Prefix), NextHop = CanonicalAddress(r.NextHop) })],
            RemoveRoutes = [.. Array(patch.RemoveRoutes).Select(r => r with { Prefix = CanonicalNetwork(r.Prefix), NextHop = r.NextHop is null ? null : CanonicalAddress(r.NextHop) })],
        };
    }

    /// <summary>A comment of an approval, rejection or cancellation: at most <see cref="MaxReason"/> characters.</summary>
    public static ChangeRefusal? CheckComment(string? comment) =>
        comment is not null && (comment.Length > MaxReason || HasControl(comment, allowNewLines: true))
            ? Bad($"comment: a comment is at most {MaxReason} characters without control characters", "comment")
            : null;

    private static void CheckPatch(List<ChangeRefusal> errors, int i, ConfigPatch patch)
    {
        string[] At(params string[] rest) => ["targets", Index(i), "patch", .. rest];
        string Path(string rest) => $"targets[{i}].patch.{rest}";
        if (patch.IsEmpty)
        {
            errors.Add(Bad($"targets[{i}].patch: the patch is empty; name at least one setting to change", At()));
            return;
        }

        if (patch.Hostname is { } hostname && !IsHostname(hostname))
        {
            errors.Add(Bad($"{Path("hostname")}: '{Shorten(hostname)}' is not a host name (1 to 63 letters, digits and hyphens per label, not starting or ending with a hyphen, at most 253 characters)", At("hostname")));
        }

        foreach (var (name, value) in new[] { ("location", patch.Location), ("contact", patch.Contact) })
        {
            if (value is not null && (value.Length > MaxText || HasControl(value)))
            {
                errors.Add(Bad($"{Path(name)}: at most {MaxText} characters without control characters", At(name)));
            }
        }

        CheckServers(errors, patch.NtpServers, "ntpServers", Path, At, allowNames: true);
        CheckServers(errors, patch.DnsServers, "dnsServers", Path, At, allowNames: false);

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Array(patch.Interfaces))
        {
            if (string.IsNullOrWhiteSpace(p.Name))
            {
                errors.Add(Bad($"{Path("interfaces")}: an interface needs a name", At("interfaces")));
                continue;
            }

            if (!names.Add(p.Name))
            {
                errors.Add(Bad($"{Path($"interfaces[{p.Name}]")}: interface {p.Name} is named twice", At("interfaces", p.Name)));
            }

            if (p.IsEmpty)
            {
                errors.Add(Bad($"{Path($"interfaces[{p.Name}]")}: nothing to change; give enabled, description or mtu", At("interfaces", p.Name)));
            }

            if (p.Mtu is { } mtu && (mtu < DeviceConfig.MinMtu || mtu > DeviceConfig.MaxMtu))
            {
                errors.Add(Bad($"{Path($"interfaces[{p.Name}].mtu")}: MTU {mtu} is outside {DeviceConfig.MinMtu}..{DeviceConfig.MaxMtu}", At("interfaces", p.Name, "mtu")));
            }

            if (p.Description is { } d && (d.Length > MaxText || HasControl(d)))
            {
                errors.Add(Bad($"{Path($"interfaces[{p.Name}].description")}: at most {MaxText} characters without control characters", At("interfaces", p.Name, "description")));
            }
        }

        var add = Array(patch.AddRoutes);
        var remove = Array(patch.RemoveRoutes);
        if (add.Length > MaxRoutes || remove.Length > MaxRoutes)
        {
            errors.Add(Bad($"{Path("addRoutes")}: at most {MaxRoutes} routes to add and {MaxRoutes} to remove", At("addRoutes")));
            return;
        }

        for (var r = 0; r < add.Length; r++)
        {
            var route = add[r];
            var network = CheckNetwork(errors, route.Prefix, $"{Path($"addRoutes[{r}].prefix")}", At("addRoutes", Index(r), "prefix"));
            CheckNextHop(errors, route.NextHop, network, $"{Path($"addRoutes[{r}].nextHop")}", At("addRoutes", Index(r), "nextHop"));
            if (route.Metric is < 0 or > 65535)
            {
                errors.Add(Bad($"{Path($"addRoutes[{r}].metric")}: metric {route.Metric} is outside 0..65535", At("addRoutes", Index(r), "metric")));
            }

            if (route.Interface is { } via && string.IsNullOrWhiteSpace(via))
            {
                errors.Add(Bad($"{Path($"addRoutes[{r}].interface")}: an interface name must not be blank", At("addRoutes", Index(r), "interface")));
            }
        }

        for (var r = 0; r < remove.Length; r++)
        {
            var network = CheckNetwork(errors, remove[r].Prefix, $"{Path($"removeRoutes[{r}].prefix")}", At("removeRoutes", Index(r), "prefix"));
            if (remove[r].NextHop is { } hop)
            {
                CheckNextHop(errors, hop, network, $"{Path($"removeRoutes[{r}].nextHop")}", At("removeRoutes", Index(r), "nextHop"));
            }
        }
    }

    private static void CheckServers(List<ChangeRefusal> errors, ImmutableArray<string>? servers, string name, Func<string, string> path, Func<string[], string[]> at, bool allowNames)
    {
        if (servers is not { } list)
        {
            return;
        }

        if (list.IsDefault || list.Length > MaxServers)
        {
            errors.Add(Bad($"{path(name)}: at most {MaxServers} servers", at([name])));
            return;
        }

        for (var s = 0; s < list.Length; s++)
        {
            var server = list[s]?.Trim() ?? "";
            if (!IPAddress.TryParse(server, out _) && !(allowNames && IsHostname(server)))
            {
                var kind = allowNames ? "an IP address or host name" : "an IP address";
                errors.Add(Bad($"{path($"{name}[{s}]")}: '{Shorten(server)}' is not {kind}", at([name, Index(s)])));
            }
        }
    }

    private static IPNetwork? CheckNetwork(List<ChangeRefusal> errors, string? prefix, string path, string[] field)
    {
        if (string.IsNullOrWhiteSpace(prefix) || !prefix.Contains('/', StringComparison.Ordinal) || !IPAddress.TryParse(prefix.AsSpan(0, prefix.IndexOf('/', StringComparison.Ordinal)), out var address))
        {
            errors.Add(Bad($"{path}: '{Shorten(prefix ?? "")}' is not a prefix such as 10.1.0.0/16 or 2001:db8::/32", field));
            return null;
        }

        if (!int.TryParse(prefix.AsSpan(prefix.IndexOf('/', StringComparison.Ordinal) + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            errors.Add(Bad($"{path}: '{Shorten(prefix)}' has no valid prefix length", field));
            return null;
        }

        var network = Mask(address, length);
        if (!network.Equals(address))
        {
            errors.Add(Bad($"{path}: '{prefix}' is not a network address; did you mean {network}/{length}?", field));
            return null;
        }

        return new IPNetwork(network, length);
    }

    private static void CheckNextHop(List<ChangeRefusal> errors, string? nextHop, IPNetwork? network, string path, string[] field)
    {
        if (string.IsNullOrWhiteSpace(nextHop) || !IPAddress.TryParse(nextHop, out var hop))
        {
            errors.Add(Bad($"{path}: '{Shorten(nextHop ?? "")}' is not an IP address", field));
            return;
        }

        if (network is { } n && n.BaseAddress.AddressFamily != hop.AddressFamily)
        {
            errors.Add(Bad($"{path}: next hop {nextHop} is not of the prefix's address family", field));
        }
    }

    private static IPAddress Mask(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var b = 0; b < bytes.Length; b++)
        {
            var keep = Math.Clamp(length - (b * 8), 0, 8);
            bytes[b] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static bool SameNetwork(string a, string b) =>
        a == b || (IPNetwork.TryParse(a, out var x) && IPNetwork.TryParse(b, out var y) && x.Equals(y));

    private static bool SameAddress(string a, string b) =>
        a == b || (IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) && x.Equals(y));

    private static string CanonicalNetwork(string prefix) => IPNetwork.TryParse(prefix, out var n) ? n.ToString() : prefix;

    private static string CanonicalAddress(string address) => IPAddress.TryParse(address, out var a) ? a.ToString() : address;

    private static bool IsHostname(string value)
    {
        if (value.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in value.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasControl(string value, bool allowNewLines = false) =>
        value.Any(c => char.IsControl(c) && !(allowNewLines && c is '\n' or '\r' or '\t'));

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "..." : value;

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static ImmutableArray<T> Array<T>(ImmutableArray<T> values) => values.IsDefault ? [] : values;

    private static ChangeRefusal Bad(string message, params string[] field) => new(ChangeRefusalCode.BadInput, message, ["input", .. field]);
}
