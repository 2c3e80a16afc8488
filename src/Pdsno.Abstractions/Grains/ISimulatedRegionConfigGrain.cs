using System.Collections.Immutable;

namespace Pdsno.Abstractions.Grains;

/// <summary>
/// Which simulated devices of a region run a config other than the generated one, so discovery asks only those.
/// Key: <c>tenant/region</c>.
/// </summary>
[Alias("pdsno.ISimulatedRegionConfigGrain")]
public interface ISimulatedRegionConfigGrain : IGrainWithStringKey
{
    /// <summary>Adds a device (by name) to the region's configured devices; durable when it returns.</summary>
    [Alias("Register")]
    Task RegisterAsync(string name);

    /// <summary>The names of the region's devices that may run a config other than the generated one.</summary>
    [Alias("GetConfigured")]
    Task<ImmutableHashSet<string>> GetConfiguredAsync();
}
