using System.Collections.Immutable;

namespace Pdsno.Discovery.Simulation;

/// <summary>The Topology Zoo networks embedded in this assembly (see Topologies/ATTRIBUTION.md).</summary>
public static class ShippedTopologies
{
    private const string ResourcePrefix = "Pdsno.Discovery.Topologies.";
    private const string ResourceSuffix = ".gml";

    /// <summary>Names without the .gml extension, sorted, e.g. "Abilene".</summary>
    public static ImmutableArray<string> Names { get; } =
    [
        .. typeof(ShippedTopologies).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            .Select(r => r[ResourcePrefix.Length..^ResourceSuffix.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The GML text of a shipped topology; the name is matched ignoring case.</summary>
    public static string Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var known = Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"Unknown shipped topology '{name}'. Known topologies: {string.Join(", ", Names)}.", nameof(name));

        using var stream = typeof(ShippedTopologies).Assembly.GetManifestResourceStream(ResourcePrefix + known + ResourceSuffix)
            ?? throw new InvalidOperationException($"Embedded resource for topology '{known}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
