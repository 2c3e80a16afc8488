using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Pdsno.Abstractions.Config;

namespace Pdsno.Discovery.Config;

/// <summary>
/// The shell a Linux device runs for the ssh driver: one script reads everything, one script applies the difference
/// between the running and the desired config. Every value reaches the remote shell single-quoted
/// (<see cref="Quote"/>), and names, addresses and numbers are validated first, so user text (descriptions,
/// location) is stored literally and never runs.
/// </summary>
/// <remarks>
/// Files the driver owns on the device: <c>/etc/hostname</c> (plus the running host name), the <c>nameserver</c>
/// lines of <c>/etc/resolv.conf</c> (its other lines are kept), <see cref="NtpFile"/> (chrony's sources directory)
/// and <see cref="SnmpFile"/>, an snmpd include file with sysName, sysLocation and sysContact, so that SNMP
/// discovery reports what was configured; snmpd of the device's network namespace is sent SIGHUP after a change.
/// A route given with an interface is installed <c>onlink</c>, which is how a read tells it from one without.
/// </remarks>
internal static partial class LinuxConfigScript
{
    /// <summary>The chrony sources file the driver owns.</summary>
    public const string NtpFile = "/etc/chrony/sources.d/pdsno.sources";

    /// <summary>The snmpd include file the driver owns.</summary>
    public const string SnmpFile = "/etc/snmp/snmpd.conf.d/pdsno-system.conf";

    /// <summary>net-snmp cannot be given an empty sysLocation/sysContact; this literal stands for empty.</summary>
    public const string EmptySnmpValue = "\"\"";

    internal const string MarkerStart = "@@pdsno ";
    internal const string MarkerEnd = "@@";
    internal const string LinkSection = "link";
    internal const string AddressSection = "addr";
    internal const string RouteSection = "route";
    internal const string HostnameSection = "hostname";
    internal const string ResolvSection = "resolv";
    internal const string NtpSection = "ntp";
    internal const string SnmpSection = "snmp";
    internal const string StepPrefix = "@@pdsno step ";

    /// <summary>The longest description the kernel stores (IFALIASZ - 1 bytes).</summary>
    public const int MaxDescriptionBytes = 255;

    /// <summary>The longest sysLocation/sysContact net-snmp stores.</summary>
    public const int MaxSnmpText = 255;

    private const string Marker = "m() { printf '\\n" + MarkerStart + "%s" + MarkerEnd + "\\n'" + " \"$1\"; }\n";

    /// <summary>Reads links, management addresses, static routes, host name and the driver's files.</summary>
    public static string Read { get; } =
        "set -e\n" + Marker +
        $"m {LinkSection}; ip -j link show\n" +
        $"m {AddressSection}; ip -j -4 addr show\n" +
        $"m {RouteSection}; ip -j -4 route show proto static\n" +
        $"m {HostnameSection}; hostname\n" +
        $"m {ResolvSection}; cat /etc/resolv.conf 2>/dev/null || true\n" +
        $"m {NtpSection}; cat {NtpFile} 2>/dev/null || true\n" +
        $"m {SnmpSection}; cat {SnmpFile} 2>/dev/null || true\n" +
        "m end\n";

    /// <summary>Single-quotes <paramref name="value"/> for a POSIX shell: the value is taken literally, whatever it holds.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>What makes <paramref name="desired"/> impossible to apply to the device read as <paramref name="current"/>.</summary>
    public static IReadOnlyList<string> Problems(DeviceConfig desired, LinuxDeviceState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var problems = new List<string>();
        if (!IsHostname(desired.Hostname))
        {
            problems.Add($"hostname '{desired.Hostname}' is not a host name (letters, digits, '-' and '.', labels of 1-63, at most 253)");
        }

        CheckSnmpText(problems, "location", desired.Location);
        CheckSnmpText(problems, "contact", desired.Contact);
        foreach (var server in Servers(desired.NtpServers))
        {
            if (!IPAddress.TryParse(server, out _) && !IsHostname(server))
            {
                problems.Add($"NTP server '{server}' is neither an address nor a host name");
            }
        }

        foreach (var server in Servers(desired.DnsServers))
        {
            if (!IPAddress.TryParse(server, out _))
            {
                problems.Add($"DNS server '{server}' is not an IP address");
            }
        }

        var present = current.Config.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var item in Items(desired.Interfaces))
        {
            if (!IsInterfaceName(item.Name))
            {
                problems.Add($"interface name '{item.Name}' is not a Linux interface name");
                continue;
            }

            if (!present.Contains(item.Name))
            {
                problems.Add($"interface {item.Name} does not exist on the device");
            }

            if (item.Mtu is < DeviceConfig.MinMtu or > DeviceConfig.MaxMtu)
            {
                problems.Add($"interface {item.Name}: MTU {item.Mtu} is outside {DeviceConfig.MinMtu}-{DeviceConfig.MaxMtu}");
            }

            if (item.Description.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(item.Description) > MaxDescriptionBytes)
            {
                problems.Add($"interface {item.Name}: the description must be at most {MaxDescriptionBytes} bytes of text");
            }

            if (!item.Enabled && item.Name == current.ManagementInterface)
            {
                problems.Add($"interface {item.Name} carries the management address; disabling it would cut the device off");
            }
        }

        foreach (var route in Items(desired.Routes))
        {
            if (RouteProblem(route) is { } problem)
            {
                problems.Add(problem);
            }
        }

        // Linux identifies a route by prefix and metric: two next hops for one prefix at one metric would replace each other.
        foreach (var clash in Items(desired.Routes).GroupBy(r => (r.Prefix, r.Metric)).Where(g => g.Count() > 1))
        {
            problems.Add($"routes to {clash.Key.Prefix} with metric {clash.Key.Metric} via {string.Join(" and ", clash.Select(r => r.NextHop))}: Linux keeps one route per prefix and metric; give them different metrics");
        }

        return problems;
    }

    /// <summary>
    /// The script that turns <paramref name="current"/> into <paramref name="desired"/>, or null when they are equal.
    /// Call <see cref="Problems"/> first: this assumes a valid desired config. Each step announces itself on stderr
    /// (<see cref="StepPrefix"/>) so a failure names the step.
    /// </summary>
    public static string? Apply(DeviceConfig desired, LinuxDeviceState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var want = desired.Canonical();
        var have = current.Config;
        var script = new StringBuilder();

        var wanted = Items(want.Routes).ToHashSet();
        foreach (var route in Items(have.Routes).Where(r => !wanted.Contains(r)))
        {
            Step(script, $"remove route {route.Prefix} via {route.NextHop}", $"ip route del {RouteSpec(route)}");
        }

        foreach (var item in Items(want.Interfaces))
        {
            var now = have.Interface(item.Name);
            if (now is not null && now == item)
            {
                continue;
            }

            Step(script, $"interface {item.Name}",
                $"ip link set dev {Quote(item.Name)} mtu {item.Mtu} alias {Quote(item.Description)} {(item.Enabled ? "up" : "down")}");
        }

        var present = Items(have.Routes).ToHashSet();
        foreach (var route in Items(want.Routes).Where(r => !present.Contains(r)))
        {
            Step(script, $"route {route.Prefix} via {route.NextHop}", $"ip route replace {RouteSpec(route)}");
        }

        if (want.Hostname != have.Hostname)
        {
            var name = Quote(want.Hostname);
            Step(script, "hostname", $"printf '%s\\n' {name} > /etc/hostname; hostname {name}");
        }

        if (!want.DnsServers.SequenceEqual(have.DnsServers))
        {
            var lines = string.Concat(want.DnsServers.Select(s => " " + Quote($"nameserver {s}")));
            Step(script, "DNS servers (/etc/resolv.conf)",
                "t=$(mktemp); { grep -v '^[[:space:]]*nameserver[[:space:]]' /etc/resolv.conf 2>/dev/null || true; " +
                (want.DnsServers.IsEmpty ? "" : $"printf '%s\\n'{lines}; ") +
                "} > \"$t\"; cat \"$t\" > /etc/resolv.conf; rm -f \"$t\"");
        }

        if (!want.NtpServers.SequenceEqual(have.NtpServers))
        {
            var lines = string.Concat(want.NtpServers.Select(s => " " + Quote($"server {s} iburst")));
            Step(script, $"NTP servers ({NtpFile})",
                $"mkdir -p {Path.GetDirectoryName(NtpFile)}; " +
                (want.NtpServers.IsEmpty ? $"rm -f {NtpFile}; " : $"printf '%s\\n'{lines} > {NtpFile}.tmp; mv {NtpFile}.tmp {NtpFile}; ") +
                "if command -v chronyc >/dev/null 2>&1; then chronyc reload sources >/dev/null 2>&1 || true; fi");
        }

        if (want.Hostname != have.Hostname || want.Location != have.Location || want.Contact != have.Contact)
        {
            var lines = Quote($"sysName {want.Hostname}") + " " + Quote($"sysLocation {SnmpText(want.Location)}") + " " + Quote($"sysContact {SnmpText(want.Contact)}");
            // Only the snmpd of this network namespace is told: a host may run one per namespace (the lab does).
            Step(script, $"location and contact ({SnmpFile})",
                $"mkdir -p {Path.GetDirectoryName(SnmpFile)}; printf '%s\\n' {lines} > {SnmpFile}.tmp; mv {SnmpFile}.tmp {SnmpFile}; " +
                "me=$(readlink /proc/self/ns/net); for p in /proc/[0-9]*; do " +
                "if [ \"$(cat \"$p/comm\" 2>/dev/null)\" = snmpd ] && [ \"$(readlink \"$p/ns/net\" 2>/dev/null)\" = \"$me\" ]; then kill -HUP \"${p#/proc/}\" || true; fi; done");
        }

        return script.Length == 0 ? null : "set -e\n" + script;
    }

    /// <summary>The step a failed apply script was at, from its stderr, or null.</summary>
    public static string? FailedStep(string stderr) =>
        stderr.Split('\n').LastOrDefault(l => l.StartsWith(StepPrefix, StringComparison.Ordinal)) is { } line
            ? line[StepPrefix.Length..].TrimEnd('\r').TrimEnd('@')
            : null;

    /// <summary>stderr without the step announcements: what the failing command said.</summary>
    public static string Errors(string stderr) =>
        string.Join(' ', stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith(StepPrefix, StringComparison.Ordinal)));

    /// <summary>True for a Linux interface name: 1-15 characters, no blanks, slashes or colons at the start.</summary>
    public static bool IsInterfaceName(string name) => InterfaceName().IsMatch(name);

    /// <summary>True for an RFC 1123 host name.</summary>
    public static bool IsHostname(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(label => HostLabel().IsMatch(label));

    private static string? RouteProblem(StaticRoute route)
    {
        if (!IPNetwork.TryParse(route.Prefix, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || !route.Prefix.Contains('/', StringComparison.Ordinal))
        {
            return $"route prefix '{route.Prefix}' is not an IPv4 prefix (a.b.c.d/len); the ssh driver manages IPv4 routes";
        }

        if (network.ToString() != route.Prefix)
        {
            return $"route prefix '{route.Prefix}' has host bits set; did you mean {network}?";
        }

        if (!IPAddress.TryParse(route.NextHop, out var hop) || hop.AddressFamily != AddressFamily.InterNetwork || hop.ToString() != route.NextHop)
        {
            return $"route {route.Prefix}: next hop '{route.NextHop}' is not an IPv4 address";
        }

        if (route.Interface is { } name && !IsInterfaceName(name))
        {
            return $"route {route.Prefix}: interface name '{name}' is not a Linux interface name";
        }

        return route.Metric < 0 ? $"route {route.Prefix}: metric {route.Metric} is negative" : null;
    }

    private static string RouteSpec(StaticRoute route) =>
        $"{route.Prefix} via {route.NextHop}" + (route.Interface is { } dev ? $" dev {Quote(dev)} onlink" : "") + $" metric {route.Metric} proto static";

    private static void CheckSnmpText(List<string> problems, string what, string value)
    {
        if (value.Any(char.IsControl) || value.Length > MaxSnmpText || value != value.Trim() || value == EmptySnmpValue)
        {
            problems.Add($"{what} must be one line of at most {MaxSnmpText} characters without leading or trailing blanks");
        }
    }

    private static string SnmpText(string value) => value.Length == 0 ? EmptySnmpValue : value;

    private static void Step(StringBuilder script, string name, string command) =>
        script.Append("printf '%s\\n' ").Append(Quote(StepPrefix + name + MarkerEnd)).Append(" >&2; ").Append(command).Append('\n');

    private static ImmutableArray<string> Servers(ImmutableArray<string> servers) => servers.IsDefault ? [] : servers;

    private static ImmutableArray<T> Items<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,14}$")]
    private static partial Regex InterfaceName();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostLabel();
}
