using System.Collections.Immutable;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Discovery.Hosting;

/// <summary>The simulated network the settings describe, checked at start, and what its import reported.</summary>
public sealed record SimulationPlan(ImmutableArray<SimulatedNetworkPart> Parts, ImmutableArray<string> ImportNotes)
{
    /// <summary>No simulated network.</summary>
    public static SimulationPlan None { get; } = new([], []);

    /// <summary>
    /// The simulated network parts the settings ask for; throws <see cref="ArgumentException"/> naming the setting when
    /// the network cannot be built (a bad import, say).
    /// </summary>
    public static SimulationPlan From(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parts = ImmutableArray.CreateBuilder<SimulatedNetworkPart>();
        var notes = ImmutableArray.CreateBuilder<string>();
        if (settings.Devices > 0)
        {
            parts.Add(SimulatedNetworkPart.Generated("default", settings.Seed, settings.Devices, settings.Regions));
        }

        if (!string.IsNullOrWhiteSpace(settings.Import))
        {
            string text;
            string name;
            if (ShippedTopologies.Names.Contains(settings.Import, StringComparer.OrdinalIgnoreCase))
            {
                name = ShippedTopologies.Names.First(n => string.Equals(n, settings.Import, StringComparison.OrdinalIgnoreCase));
                text = ShippedTopologies.Load(name);
            }
            else if (File.Exists(settings.Import))
            {
                name = Path.GetFileNameWithoutExtension(settings.Import);
                text = File.ReadAllText(settings.Import);
            }
            else
            {
                throw new ArgumentException($"Simulation:Import '{settings.Import}' is neither a shipped topology ({string.Join(", ", ShippedTopologies.Names)}) nor a readable file");
            }

            try
            {
                KeyPart.Validate(settings.ImportRegion, "Simulation:ImportRegion");
                var import = TopologyZooImporter.Import(text, settings.ImportRegion, name);
                notes.Add($"imported {name} into region {settings.ImportRegion}: {import.Report.NodesImported} devices, {import.Report.EdgesImported} links");
                notes.AddRange(import.Report.Skipped.Select(n => $"import of {name}: {n}"));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw new ArgumentException($"Simulation:Import '{settings.Import}' cannot be imported: {ex.Message}", ex);
            }

            parts.Add(SimulatedNetworkPart.Imported(name, text, settings.ImportRegion));
        }

        try
        {
            SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(0, parts.ToImmutable()));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The Simulation settings describe no valid network: {ex.Message}", ex);
        }

        return new SimulationPlan(parts.ToImmutable(), notes.ToImmutable());
    }
}

/// <summary>
/// The regions of tenant <c>Simulation:Tenant</c> whose controllers start when no simulated network is configured
/// (<c>Simulation:Enabled=false</c>) and a real driver such as <c>snmp</c> runs: <c>Discovery:Regions</c>, a list of
/// region names, default <c>["default"]</c>. Every region's controllers scan all of <c>Discovery:Targets</c>, so one
/// region per silo configuration is the usual case.
/// </summary>
public sealed record DiscoveryRegions(ImmutableArray<string> Names)
{
    /// <summary>The region used when <c>Discovery:Regions</c> names none.</summary>
    public const string DefaultRegion = "default";

    /// <summary>The regions the settings name, or the default one.</summary>
    public static DiscoveryRegions From(DiscoverySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.Regions.Count > 0 ? [.. settings.Regions] : [DefaultRegion]);
    }
}
