namespace Pdsno.Abstractions.Simulation;

/// <summary>
/// Bounds on what a tenant may put into its simulated network, so that one tenant's imports cannot take a silo's
/// memory or CPU. Bound from <c>Simulation:Limits</c>.
/// </summary>
public sealed class SimulationLimits
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Simulation:Limits";

    /// <summary>Most nodes one GML import may have.</summary>
    public int MaxNodesPerImport { get; set; } = 10_000;

    /// <summary>Most parts (imports and generated networks) one tenant's simulated network may have.</summary>
    public int MaxPartsPerTenant { get; set; } = 1_000;

    /// <summary>Most GML characters all imports of one tenant may hold together.</summary>
    public long MaxGmlBytesPerTenant { get; set; } = 64L * 1024 * 1024;

    /// <summary>Null when the settings are usable, otherwise what is wrong, naming the key.</summary>
    public string? Problem() =>
        MaxNodesPerImport < 1 ? $"{Section}:MaxNodesPerImport is {MaxNodesPerImport}; it must be at least 1"
        : MaxPartsPerTenant < 1 ? $"{Section}:MaxPartsPerTenant is {MaxPartsPerTenant}; it must be at least 1"
        : MaxGmlBytesPerTenant < 1 ? $"{Section}:MaxGmlBytesPerTenant is {MaxGmlBytesPerTenant}; it must be at least 1"
        : null;
}
