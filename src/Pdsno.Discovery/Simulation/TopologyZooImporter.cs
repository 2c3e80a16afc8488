using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pdsno.Discovery.Simulation;

/// <summary>Turns an Internet Topology Zoo GML file into a simulated topology, all or nothing.</summary>
/// <remarks>
/// Naming: a device is named by the slug of its label (lowercase ASCII letters, digits and single dashes);
/// nodes without a usable label (none, empty, or the toolset's "None") are <c>node-&lt;id&gt;</c>; a name already
/// taken gets <c>-2</c>, <c>-3</c>, ... and a note. Hyperedge nodes become virtual switches named <c>junction-&lt;id&gt;</c>.
/// Roles: hyperedge junctions are <c>distribution</c>; external nodes (<c>Internal 0</c>) and leaves are
/// <c>access</c>; every other PoP is <c>core</c>, since Topology Zoo maps are backbones.
/// </remarks>
public static partial class TopologyZooImporter
{
    private const long DefaultSpeedBps = 10_000_000_000L;

    public static TopologyImport Import(string gmlText, string region, string sourceName) =>
        Import(gmlText, region, sourceName, int.MaxValue, 0, CancellationToken.None);

    /// <summary>
    /// Imports a GML file of at most <paramref name="maxNodes"/> nodes (more throw <see cref="ImportLimitException"/>).
    /// <paramref name="saltExtension"/> (0 to <see cref="AddressPlan.MaxSaltExtension"/>) keeps the addresses of this
    /// network apart from another network of the tenant whose name hashes to the same salt.
    /// </summary>
    public static TopologyImport Import(string gmlText, string region, string sourceName, int maxNodes, int saltExtension, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gmlText);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);

        var document = GmlParser.Parse(gmlText, maxNodes, cancellationToken);
        var notes = new List<string>();
        var saltSource = SaltSource(sourceName);
        var addresses = new AddressPlan(saltSource, saltExtension);
        var managementBase = 128 + (int)((saltSource >> 40) % 100);

        var degree = new Dictionary<long, int>();
        foreach (var edge in document.Edges)
        {
            if (edge.Source != edge.Target)
            {
                degree[edge.Source] = degree.GetValueOrDefault(edge.Source) + 1;
                degree[edge.Target] = degree.GetValueOrDefault(edge.Target) + 1;
            }
        }

        var builders = new Dictionary<long, DeviceBuilder>(document.Nodes.Length);
        var ordered = new List<(long Id, DeviceBuilder Builder)>(document.Nodes.Length);
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var nextSuffix = new Dictionary<string, int>(StringComparer.Ordinal);
        var usedSerials = new HashSet<ulong>();
        var spillSerial = 0UL;
        foreach (var node in document.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A hyperedge node is a branching point drawn on the source map (a shared segment or a splice
            // where one line feeds several PoPs), not a PoP. Dropping it would cut those PoPs off, and meshing its
            // neighbours would invent links; a virtual switch keeps exactly the connectivity the map shows.
            var isHyperedge = node.Attributes.Find("hyperedge")?.Value is long flag && flag != 0;
            var nodeDegree = degree.GetValueOrDefault(node.Id);
            var baseName = isHyperedge ? $"junction-{node.Id}" : Slug(node.Label) ?? $"node-{node.Id}";
            var name = Disambiguate(baseName, usedNames, nextSuffix);
            if (!string.Equals(name, baseName, StringComparison.Ordinal))
            {
                notes.Add($"node {node.Id} (line {node.Line}): name '{baseName}' is already taken; named '{name}'");
            }

            if (isHyperedge)
            {
                notes.Add(
                    $"node {node.Id} (line {node.Line}) is a hyperedge joining {nodeDegree} node(s); imported as virtual switch '{name}'");
            }

            var role = isHyperedge ? VendorProfile.Distribution
                : node.Attributes.Find("Internal")?.Value is long internalFlag && internalFlag == 0 ? VendorProfile.Access
                : nodeDegree <= 1 ? VendorProfile.Access
                : VendorProfile.Core;
            var vendor = isHyperedge ? VendorProfile.Arista
                : VendorProfile.Pick(role, AddressPlan.StableHash($"{sourceName}/{node.Id}/vendor"));
            var latitude = node.Attributes.GetNumber("Latitude");
            var longitude = node.Attributes.GetNumber("Longitude");
            if (latitude is null || longitude is null)
            {
                latitude = null;
                longitude = null;
            }

            var builder = new DeviceBuilder(
                name, region, role, vendor, addresses.ChassisId(ChassisSerial(node.Id, usedSerials, ref spillSerial)),
                AddressPlan.ManagementAddress(managementBase, ordered.Count), addresses, latitude, longitude);
            builders.Add(node.Id, builder);
            ordered.Add((node.Id, builder));
        }

        var links = new List<SimLink>(document.Edges.Length);
        var firstEdgeLine = new Dictionary<(long, long), int>();
        foreach (var edge in document.Edges)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = builders[edge.Source];
            var b = builders[edge.Target];
            if (edge.Source == edge.Target)
            {
                notes.Add($"edge at line {edge.Line}: self-loop on node {edge.Source} ('{a.Name}') skipped");
                continue;
            }

            var pair = edge.Source < edge.Target ? (edge.Source, edge.Target) : (edge.Target, edge.Source);
            if (!firstEdgeLine.TryAdd(pair, edge.Line))
            {
                notes.Add(
                    $"edge at line {edge.Line} duplicates the edge between '{a.Name}' and '{b.Name}' at line {firstEdgeLine[pair]}; imported as a parallel link");
            }

            var speed = LinkSpeed(edge.Attributes);
            links.Add(new SimLink(a.Name, a.AddLinkPort(speed), b.Name, b.AddLinkPort(speed), speed));
        }

        foreach (var (id, builder) in ordered)
        {
            var spares = 2 + (int)(AddressPlan.StableHash($"{sourceName}/{id}/spares") % 3);
            var spareSpeed = builder.Role == VendorProfile.Access ? 1_000_000_000L : DefaultSpeedBps;
            for (var i = 0; i < spares; i++)
            {
                builder.AddPort(spareSpeed);
            }
        }

        var topology = new SimulatedTopology(ordered.Select(o => o.Builder.Build()), links);
        return new TopologyImport(topology, new ImportReport(topology.Devices.Length, topology.Links.Length, [.. notes]));
    }

    /// <summary>Link speed in bit/s: LinkSpeedRaw, else LinkSpeed times LinkSpeedUnits, else a speed in LinkLabel, else 10 Gbit/s.</summary>
    internal static long LinkSpeed(GmlList edge)
    {
        if (edge.GetNumber("LinkSpeedRaw") is > 0 and var raw)
        {
            return (long)Math.Round(raw);
        }

        if (edge.GetNumber("LinkSpeed") is > 0 and var speed && UnitScale(edge.GetString("LinkSpeedUnits")) is { } scale)
        {
            return (long)Math.Round(speed * scale);
        }

        return LabelSpeed(edge.GetString("LinkLabel")) ?? DefaultSpeedBps;
    }

    internal static long? LabelSpeed(string? label)
    {
        if (string.IsNullOrEmpty(label))
        {
            return null;
        }

        var optical = OpticalCarrier().Match(label);
        if (optical.Success)
        {
            var n = long.Parse(optical.Groups["n"].Value, CultureInfo.InvariantCulture);
            var unit = optical.Groups["kind"].Value.StartsWith("OC", StringComparison.OrdinalIgnoreCase) ? 51_840_000L : 155_520_000L;
            return n > 0 ? n * unit : null;
        }

        var rate = BitRate().Match(label);
        if (rate.Success && UnitScale(rate.Groups["unit"].Value) is { } scale)
        {
            var value = double.Parse(rate.Groups["value"].Value, CultureInfo.InvariantCulture);
            return value > 0 ? (long)Math.Round(value * scale) : null;
        }

        return null;
    }

    /// <summary>Lowercase ASCII slug of a label, or null when nothing usable is left.</summary>
    internal static string? Slug(string? label)
    {
        if (string.IsNullOrWhiteSpace(label) || string.Equals(label.Trim(), "None", StringComparison.Ordinal))
        {
            return null;
        }

        var slug = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            var folded = Fold(char.ToLowerInvariant(c));
            if (folded is null)
            {
                if (slug.Length > 0 && slug[^1] != '-')
                {
                    slug.Append('-');
                }
            }
            else
            {
                slug.Append(folded);
            }
        }

        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? null : text;
    }

    private static string? Fold(char c)
    {
        if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
        {
            return c.ToString();
        }

        // Topology Zoo labels are ASCII today; this keeps accented city names readable should an edited file use them.
        const string from = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťţùúûüūůűųýÿźżž";
        const string to = "aaaaaaaaaccccddeeeeeeeeiiiiiilnnnoooooooorrssstttuuuuuuuuyyzzz";
        var at = from.IndexOf(c, StringComparison.Ordinal);
        return at >= 0 ? to[at].ToString() : c switch
        {
            'ß' => "ss",
            'æ' => "ae",
            'œ' => "oe",
            'þ' => "th",
            _ => null,
        };
    }

    /// <summary>The salt source of a network imported under <paramref name="sourceName"/>.</summary>
    internal static ulong SaltSource(string sourceName) => AddressPlan.StableHash($"topology-zoo/{sourceName}");

    /// <summary>
    /// The base name, or the base name with the next free <c>-n</c>. The next suffix to try is remembered per base
    /// name, so that thousands of nodes with one label cost one probe each instead of one per earlier twin.
    /// </summary>
    private static string Disambiguate(string baseName, HashSet<string> usedNames, Dictionary<string, int> nextSuffix)
    {
        if (usedNames.Add(baseName))
        {
            return baseName;
        }

        var suffix = nextSuffix.GetValueOrDefault(baseName, 2);
        string name;
        do
        {
            name = $"{baseName}-{suffix++}";
        }
        while (!usedNames.Add(name));

        nextSuffix[baseName] = suffix;
        return name;
    }

    /// <summary>
    /// The node id itself when it fits the address plan, so the chassis id survives re-imports and edits elsewhere in the
    /// file. A taken serial (an id outside the plan whose hash lands on another) takes the next free one from a cursor
    /// that only moves forward, so crafted ids cost one probe each in total instead of a scan per id.
    /// </summary>
    private static ulong ChassisSerial(long id, HashSet<ulong> used, ref ulong spill)
    {
        var serial = id >= 0 && (ulong)id <= AddressPlan.MaxChassisSerial
            ? (ulong)id
            : AddressPlan.StableHash(id.ToString(CultureInfo.InvariantCulture)) % (AddressPlan.MaxChassisSerial + 1);
        if (used.Add(serial))
        {
            return serial;
        }

        while (!used.Add(spill))
        {
            spill = (spill + 1) % (AddressPlan.MaxChassisSerial + 1);
        }

        return spill;
    }

    private static double? UnitScale(string? unit) => unit?.Trim().ToUpperInvariant() switch
    {
        "T" => 1e12,
        "G" => 1e9,
        "M" => 1e6,
        "K" => 1e3,
        _ => null,
    };

    [GeneratedRegex(@"\b(?<kind>OC|STM)[- ]?(?<n>\d{1,4})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpticalCarrier();

    [GeneratedRegex(@"(?<value>\d+(?:\.\d+)?)\s*(?<unit>[TGMK])(?:bit/s|bps|b/s|bit|b)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BitRate();
}
