using System.Collections.Immutable;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>Owns a tenant's versioned global policy and the list of its regions. Key: <c>tenant</c>.</summary>
[Alias("pdsno.IGlobalPolicyGrain")]
public interface IGlobalPolicyGrain : IGrainWithStringKey
{
    /// <summary>The current policy.</summary>
    [Alias("GetPolicy"), Requires(Roles.Viewer)]
    Task<GlobalPolicy> GetPolicyAsync();

    /// <summary>Stores a new policy version and publishes it to every region; throws <see cref="ArgumentException"/> listing problems.</summary>
    [Alias("SetPolicy"), Requires(Roles.Admin, TenantWide = true)]
    Task<GlobalPolicy> SetPolicyAsync(TimeSpan discoveryInterval, int missedCyclesUntilInactive);

    /// <summary>Like the fixed-interval overload, with the bounds a region's adaptive interval moves between (null: fixed).</summary>
    [Alias("SetAdaptivePolicy"), Requires(Roles.Admin, TenantWide = true)]
    Task<GlobalPolicy> SetPolicyAsync(TimeSpan discoveryInterval, int missedCyclesUntilInactive, TimeSpan? minimumInterval, TimeSpan? maximumInterval);

    /// <summary>Stores a new policy version with these change rules (the discovery settings stay) and publishes it.</summary>
    [Alias("SetChangePolicy"), Requires(Roles.Admin, TenantWide = true)]
    Task<GlobalPolicy> SetChangePolicyAsync(ChangePolicy rules);

    /// <summary>Stores a new policy version with these analytics rules (the other settings stay) and publishes it.</summary>
    [Alias("SetAnalyticsPolicy"), Requires(Roles.Admin, TenantWide = true)]
    Task<GlobalPolicy> SetAnalyticsPolicyAsync(AnalyticsPolicy rules);

    /// <summary>Takes one of the tenant's emergency changes of the last hour for <paramref name="change"/>; false when the policy's limit is used up.</summary>
    [Alias("TakeEmergency")]
    Task<bool> TakeEmergencyAsync(string change);

    /// <summary>Adds a region to the tenant so it receives policy; returns the current policy.</summary>
    [Alias("RegisterRegion")]
    Task<GlobalPolicy> RegisterRegionAsync(string region);

    /// <summary>Removes a deleted region from the tenant.</summary>
    [Alias("UnregisterRegion")]
    Task UnregisterRegionAsync(string region);

    /// <summary>The tenant's regions.</summary>
    [Alias("GetRegions"), Requires(Roles.Viewer)]
    Task<ImmutableArray<string>> GetRegionsAsync();
}
