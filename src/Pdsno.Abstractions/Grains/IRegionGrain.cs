using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Regions;

namespace Pdsno.Abstractions.Grains;

/// <summary>Governs one region: reconciles discovery into devices and links. Key: <c>tenant/region</c>.</summary>
[Alias("pdsno.IRegionGrain")]
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Creates the region if needed and makes sure its controllers run; idempotent.</summary>
    [Alias("EnsureStarted")]
    Task EnsureStartedAsync(RegionSetup setup);

    /// <summary>Adopts a policy version from the global tier; older versions are ignored.</summary>
    [Alias("ApplyPolicy")]
    Task ApplyPolicyAsync(GlobalPolicy policy);

    /// <summary>Asks every controller of the region to run a cycle now.</summary>
    [Alias("TriggerDiscovery")]
    Task TriggerDiscoveryAsync();

    /// <summary>Gives the region a display name; its key does not change.</summary>
    [Alias("Rename")]
    Task RenameAsync(string displayName);

    /// <summary>Deletes an empty region and stops its controllers; throws <see cref="InvalidOperationException"/> while it has devices.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>The region as known.</summary>
    [Alias("GetSnapshot")]
    Task<RegionSnapshot> GetSnapshotAsync();
}
