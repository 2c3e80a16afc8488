using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>Governs one region: reconciles discovery into devices and links. Key: <c>tenant/region</c>.</summary>
[Alias("pdsno.IRegionGrain")]
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Creates the region if needed and makes sure its controllers run; idempotent.</summary>
    [Alias("EnsureStarted"), Requires(Roles.Admin)]
    Task EnsureStartedAsync(RegionSetup setup);

    /// <summary>Adopts a policy version from the global tier; older versions are ignored.</summary>
    [Alias("ApplyPolicy")]
    Task ApplyPolicyAsync(GlobalPolicy policy);

    /// <summary>Asks every controller of the region to run a cycle now.</summary>
    [Alias("TriggerDiscovery"), Requires(Roles.Operator)]
    Task TriggerDiscoveryAsync();

    /// <summary>Gives the region a display name; its key does not change.</summary>
    [Alias("Rename"), Requires(Roles.Admin)]
    Task RenameAsync(string displayName);

    /// <summary>Deletes an empty region and stops its controllers; throws <see cref="InvalidOperationException"/> while it has devices.</summary>
    [Alias("Delete"), Requires(Roles.Admin)]
    Task DeleteAsync();

    /// <summary>The region as known.</summary>
    [Alias("GetSnapshot"), Requires(Roles.Viewer)]
    Task<RegionSnapshot> GetSnapshotAsync();
}
