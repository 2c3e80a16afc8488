using System.Collections.Immutable;
using System.Text.Json;
using Pdsno.Abstractions.Config;

namespace Pdsno.Discovery.Config;

/// <summary>
/// What one read of a Linux device returned: its config in the shared model, and the interface that carries the
/// management address (the driver refuses to disable it: that would cut PDSNO off from the device).
/// </summary>
internal sealed record LinuxDeviceState(DeviceConfig Config, string? ManagementInterface);

/// <summary>
/// Parses the output of <see cref="LinuxConfigScript.Read"/>: sections of <c>ip -j</c> JSON and file texts, each after a
/// marker line. Pure, so every shape the device may print is unit-tested.
/// </summary>
internal static class LinuxDeviceStateParser
{
    /// <summary>Parses the read output; <paramref name="managementAddress"/> finds the management interface.</summary>
    public static LinuxDeviceState Parse(string output, string managementAddress)
    {
        var sections = Split(output);
        string Section(string name) => sections.TryGetValue(name, out var text)
            ? text
            : throw new FormatException($"the device's answer has no '{name}' section");

        var interfaces = Interfaces(Section(LinuxConfigScript.LinkSection));
        var managementInterface = ManagementInterface(Section(LinuxConfigScript.AddressSection), managementAddress);
        var routes = Routes(Section(LinuxConfigScript.RouteSection), managementInterface);
        var system = SnmpSystemLines(Section(LinuxConfigScript.SnmpSection));
        var config = new DeviceConfig(
            Section(LinuxConfigScript.HostnameSection).Trim(),
            system.GetValueOrDefault("sysLocation", ""),
            system.GetValueOrDefault("sysContact", ""),
            [.. Words(Section(LinuxConfigScript.NtpSection), "server", "pool")],
            [.. Words(Section(LinuxConfigScript.ResolvSection), "nameserver")],
            interfaces,
            routes);
        return new LinuxDeviceState(config.Canonical(), managementInterface);
    }

    /// <summary>The interfaces of <c>ip -j link show</c>, loopback left out.</summary>
    public static ImmutableArray<InterfaceConfig> Interfaces(string json)
    {
        using var document = ParseArray(json, "ip -j link");
        var result = ImmutableArray.CreateBuilder<InterfaceConfig>();
        foreach (var link in document.RootElement.EnumerateArray())
        {
            var flags = Flags(link);
            if (flags.Contains("LOOPBACK") || String(link, "link_type") == "loopback")
            {
                continue;
            }

            var name = String(link, "ifname") ?? throw new FormatException("ip -j link: an interface without ifname");
            var mtu = link.TryGetProperty("mtu", out var m) && m.TryGetInt32(out var value) ? value : DeviceConfig.DefaultMtu;
            result.Add(new InterfaceConfig(name, flags.Contains("UP"), String(link, "ifalias") ?? "", mtu));
        }

        return result.ToImmutable();
    }

    /// <summary>The static IPv4 routes with a next hop of <c>ip -j route show proto static</c>, the management default left out.</summary>
    public static ImmutableArray<StaticRoute> Routes(string json, string? managementInterface)
    {
        using var document = ParseArray(json, "ip -j route");
        var result = ImmutableArray.CreateBuilder<StaticRoute>();
        foreach (var route in document.RootElement.EnumerateArray())
        {
            var gateway = String(route, "gateway");
            var dst = String(route, "dst");
            var dev = String(route, "dev");
            if (gateway is null || dst is null)
            {
                continue; // a device route without next hop is outside the model; the driver leaves it alone
            }

            var prefix = dst == "default" ? "0.0.0.0/0" : dst.Contains('/', StringComparison.Ordinal) ? dst : dst + "/32";
            if (prefix == "0.0.0.0/0" && dev is not null && dev == managementInterface)
            {
                continue; // the management default is how PDSNO reaches the device: never managed
            }

            var metric = route.TryGetProperty("metric", out var m) && m.TryGetInt32(out var value) ? value : 0;
            // "onlink" marks a route the driver pinned to its interface (see LinuxConfigScript); others name none.
            var pinned = Flags(route).Contains("onlink");
            result.Add(new StaticRoute(prefix, gateway, pinned ? dev : null, metric));
        }

        return result.ToImmutable();
    }

    /// <summary>The interface whose IPv4 address is <paramref name="managementAddress"/> in <c>ip -j -4 addr show</c>.</summary>
    public static string? ManagementInterface(string json, string managementAddress)
    {
        using var document = ParseArray(json, "ip -j addr");
        foreach (var link in document.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out var addresses) || addresses.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var address in addresses.EnumerateArray())
            {
                if (String(address, "local") == managementAddress)
                {
                    return String(link, "ifname");
                }
            }
        }

        return null;
    }

    /// <summary>The <c>sysName/sysLocation/sysContact</c> lines of the device's snmpd include file (the last of each wins).</summary>
    public static Dictionary<string, string> SnmpSystemLines(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lines(text))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                continue;
            }

            var key = line[..space];
            if (key is "sysName" or "sysLocation" or "sysContact")
            {
                var value = line[(space + 1)..];
                values[key] = value == LinuxConfigScript.EmptySnmpValue ? "" : value;
            }
        }

        return values;
    }

    /// <summary>The second word of every line whose first word is one of <paramref name="keywords"/>.</summary>
    public static IEnumerable<string> Words(string text, params string[] keywords)
    {
        foreach (var line in Lines(text))
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && keywords.Contains(words[0], StringComparer.Ordinal))
            {
                yield return words[1];
            }
        }
    }

    private static Dictionary<string, string> Split(string output)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var text = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(LinuxConfigScript.MarkerStart, StringComparison.Ordinal) && line.EndsWith(LinuxConfigScript.MarkerEnd, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    sections[current] = string.Join('\n', text);
                }

                current = line[LinuxConfigScript.MarkerStart.Length..^LinuxConfigScript.MarkerEnd.Length];
                text.Clear();
                continue;
            }

            text.Add(line);
        }

        return sections;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#'));

    private static JsonDocument ParseArray(string json, string what)
    {
        var text = string.IsNullOrWhiteSpace(json) ? "[]" : json;
        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                document.Dispose();
                throw new FormatException($"{what} did not print a JSON array");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{what} printed invalid JSON: {ex.Message}", ex);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static HashSet<string> Flags(JsonElement element) =>
        element.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Array
            ? [.. flags.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!)]
            : [];
}
