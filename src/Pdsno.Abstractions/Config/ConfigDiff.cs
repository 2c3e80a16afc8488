using System.Collections.Immutable;
using System.Text;

namespace Pdsno.Abstractions.Config;

/// <summary>One difference between two configs: a path such as <c>interfaces[eth1].enabled</c> or <c>routes[10.0.0.0/8 via 10.1.1.1]</c>, with the values before and after (null: absent).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.config-diff-entry")]
public sealed record ConfigDiffEntry(
    [property: Id(0)] string Path,
    [property: Id(1)] string? Before,
    [property: Id(2)] string? After);

/// <summary>Structured and unified-text differences between two configs.</summary>
public static class ConfigDiff
{
    /// <summary>Every difference from <paramref name="before"/> to <paramref name="after"/>, in model order.</summary>
    public static ImmutableArray<ConfigDiffEntry> Compute(DeviceConfig before, DeviceConfig after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = before.Canonical();
        var b = after.Canonical();
        if (DeviceConfig.CanonicalEquals(a, b))
        {
            // The steady state of drift detection, judged on every observation.
            return [];
        }

        var d = ImmutableArray.CreateBuilder<ConfigDiffEntry>();
        Scalar(d, "hostname", a.Hostname, b.Hostname);
        Scalar(d, "location", a.Location, b.Location);
        Scalar(d, "contact", a.Contact, b.Contact);
        Scalar(d, "ntpServers", string.Join(", ", a.NtpServers), string.Join(", ", b.NtpServers));
        Scalar(d, "dnsServers", string.Join(", ", a.DnsServers), string.Join(", ", b.DnsServers));
        foreach (var name in a.Interfaces.Select(i => i.Name).Union(b.Interfaces.Select(i => i.Name)).Order(StringComparer.Ordinal))
        {
            var x = a.Interface(name);
            var y = b.Interface(name);
            if (x is null || y is null)
            {
                d.Add(new ConfigDiffEntry($"interfaces[{name}]", x is null ? null : Describe(x), y is null ? null : Describe(y)));
                continue;
            }

            Scalar(d, $"interfaces[{name}].enabled", x.Enabled ? "true" : "false", y.Enabled ? "true" : "false");
            Scalar(d, $"interfaces[{name}].description", x.Description, y.Description);
            Scalar(d, $"interfaces[{name}].mtu", x.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), y.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var key in a.Routes.Select(r => r.Key).Union(b.Routes.Select(r => r.Key)).OrderBy(k => k.Prefix, StringComparer.Ordinal).ThenBy(k => k.NextHop, StringComparer.Ordinal))
        {
            var x = a.Routes.FirstOrDefault(r => r.Key == key);
            var y = b.Routes.FirstOrDefault(r => r.Key == key);
            if (x != y)
            {
                d.Add(new ConfigDiffEntry($"routes[{key.Prefix} via {key.NextHop}]", x is null ? null : Describe(x), y is null ? null : Describe(y)));
            }
        }

        return d.ToImmutable();
    }

    /// <summary>A unified diff of the two configs' text forms, labelled with <paramref name="label"/> (e.g. the device name).</summary>
    public static string Unified(string label, DeviceConfig before, DeviceConfig after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var text = new StringBuilder();
        text.Append("--- ").Append(label).Append(" (running)\n+++ ").Append(label).Append(" (proposed)\n");
        if (a.SequenceEqual(b))
        {
            return text.ToString();
        }

        // The text forms are short (tens of lines): one hunk over everything, built from the longest common subsequence.
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        text.Append("@@ -1,").Append(a.Count).Append(" +1,").Append(b.Count).Append(" @@\n");
        int p = 0, q = 0;
        while (p < a.Count || q < b.Count)
        {
            if (p < a.Count && q < b.Count && a[p] == b[q])
            {
                text.Append(' ').Append(a[p++]).Append('\n');
                q++;
            }
            else if (q < b.Count && (p == a.Count || lcs[p, q + 1] >= lcs[p + 1, q]))
            {
                text.Append('+').Append(b[q++]).Append('\n');
            }
            else
            {
                text.Append('-').Append(a[p++]).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The config as text, one setting a line, in canonical order.</summary>
    public static IReadOnlyList<string> Lines(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.Canonical();
        var lines = new List<string>
        {
            $"hostname {c.Hostname}",
            $"location {c.Location}",
            $"contact {c.Contact}",
        };
        lines.AddRange(c.NtpServers.Select(s => $"ntp server {s}"));
        lines.AddRange(c.DnsServers.Select(s => $"dns server {s}"));
        foreach (var i in c.Interfaces)
        {
            lines.Add($"interface {i.Name}");
            lines.Add(i.Enabled ? "  no shutdown" : "  shutdown");
            lines.Add($"  description {i.Description}");
            lines.Add($"  mtu {i.Mtu}");
        }

        lines.AddRange(c.Routes.Select(r => $"route {Describe(r)}"));
        return lines;
    }

    private static void Scalar(ImmutableArray<ConfigDiffEntry>.Builder d, string path, string before, string after)
    {
        if (before != after)
        {
            d.Add(new ConfigDiffEntry(path, before, after));
        }
    }

    private static string Describe(InterfaceConfig i) => $"{(i.Enabled ? "enabled" : "disabled")} mtu {i.Mtu} description \"{i.Description}\"";

    private static string Describe(StaticRoute r) =>
        $"{r.Prefix} via {r.NextHop}{(r.Interface is null ? "" : " dev " + r.Interface)} metric {r.Metric}";
}
