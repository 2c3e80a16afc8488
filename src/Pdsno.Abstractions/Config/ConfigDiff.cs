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

        // By key, so a few routes added to a device holding thousands cost a pass, not a pass per route.
        var routesA = ByKey(a.Routes);
        var routesB = ByKey(b.Routes);
        foreach (var key in routesA.Keys.Union(routesB.Keys).OrderBy(k => k.Prefix, StringComparer.Ordinal).ThenBy(k => k.NextHop, StringComparer.Ordinal))
        {
            var x = routesA.GetValueOrDefault(key);
            var y = routesB.GetValueOrDefault(key);
            if (x != y)
            {
                d.Add(new ConfigDiffEntry($"routes[{key.Prefix} via {key.NextHop}]", x is null ? null : Describe(x), y is null ? null : Describe(y)));
            }
        }

        return d.ToImmutable();
    }

    // The first route of each key, as a scan from the start would find it.
    private static Dictionary<(string Prefix, string NextHop), StaticRoute> ByKey(ImmutableArray<StaticRoute> routes)
    {
        var map = new Dictionary<(string Prefix, string NextHop), StaticRoute>(routes.Length);
        foreach (var r in routes)
        {
            map.TryAdd(r.Key, r);
        }

        return map;
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

        // Hunks with three lines of context, as diff -u prints them. The ends both sides share are set aside first, so a
        // few routes added to a device holding a thousand compare only the lines between.
        var edits = Edits(a, b);
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Op == ' ')
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - Context);
            var end = i;
            for (var k = i; k < edits.Count; k++)
            {
                if (edits[k].Op != ' ')
                {
                    end = k;
                }
                else if (k - end > 2 * Context)
                {
                    break;
                }
            }

            var stop = Math.Min(edits.Count, end + Context + 1);
            var hunk = edits.GetRange(start, stop - start);
            var fromCount = hunk.Count(e => e.Op != '+');
            var toCount = hunk.Count(e => e.Op != '-');
            text.Append("@@ -").Append(Position(edits[start].A, fromCount)).Append(',').Append(fromCount)
                .Append(" +").Append(Position(edits[start].B, toCount)).Append(',').Append(toCount).Append(" @@\n");
            foreach (var e in hunk)
            {
                text.Append(e.Op).Append(e.Line).Append('\n');
            }

            i = stop;
        }

        return text.ToString();
    }

    private const int Context = 3;

    // A hunk's first line number as diff -u counts it: one-based, or the line before when the side is empty.
    private static int Position(int index, int count) => count == 0 ? index : index + 1;

    // The edit script from a to b: each line kept (' '), removed ('-') or added ('+'), with where it stands on each side.
    private static List<(char Op, string Line, int A, int B)> Edits(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var head = 0;
        while (head < a.Count && head < b.Count && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Count - head && tail < b.Count - head && a[a.Count - 1 - tail] == b[b.Count - 1 - tail])
        {
            tail++;
        }

        var n = a.Count - head - tail;
        var m = b.Count - head - tail;
        var lcs = new int[n + 1, m + 1];
        for (var x = n - 1; x >= 0; x--)
        {
            for (var y = m - 1; y >= 0; y--)
            {
                lcs[x, y] = a[head + x] == b[head + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
            }
        }

        var edits = new List<(char, string, int, int)>(a.Count + b.Count);
        for (var k = 0; k < head; k++)
        {
            edits.Add((' ', a[k], k, k));
        }

        int p = 0, q = 0;
        while (p < n || q < m)
        {
            if (p < n && q < m && a[head + p] == b[head + q])
            {
                edits.Add((' ', a[head + p], head + p, head + q));
                p++;
                q++;
            }
            else if (q < m && (p == n || lcs[p, q + 1] >= lcs[p + 1, q]))
            {
                edits.Add(('+', b[head + q], head + p, head + q));
                q++;
            }
            else
            {
                edits.Add(('-', a[head + p], head + p, head + q));
                p++;
            }
        }

        for (var k = 0; k < tail; k++)
        {
            edits.Add((' ', a[head + n + k], head + n + k, head + m + k));
        }

        return edits;
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
