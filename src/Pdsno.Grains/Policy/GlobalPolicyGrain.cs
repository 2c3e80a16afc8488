using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Grains.Policy;

/// <summary>Owns a tenant's versioned policy and pushes each new version down to its regions.</summary>
[GrainType("global-policy")]
public sealed class GlobalPolicyGrain(
    [PersistentState("policy", PdsnoStreams.Storage)] IPersistentState<GlobalPolicyState> state,
    TimeProvider clock,
    ILogger<GlobalPolicyGrain> logger) : Grain, IGlobalPolicyGrain
{
    private static readonly TimeSpan EmergencyWindow = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public Task<GlobalPolicy> GetPolicyAsync() => Task.FromResult(state.State.Policy);

    /// <inheritdoc />
    public Task<GlobalPolicy> SetPolicyAsync(TimeSpan discoveryInterval, int missedCyclesUntilInactive) =>
        SetPolicyAsync(discoveryInterval, missedCyclesUntilInactive, null, null);

    /// <inheritdoc />
    public Task<GlobalPolicy> SetPolicyAsync(TimeSpan discoveryInterval, int missedCyclesUntilInactive, TimeSpan? minimumInterval, TimeSpan? maximumInterval)
    {
        var current = state.State.Policy;
        return PublishAsync(new GlobalPolicy(current.Version + 1, discoveryInterval, missedCyclesUntilInactive, minimumInterval, maximumInterval, current.ChangeRules, current.AnalyticsRules));
    }

    /// <inheritdoc />
    public Task<GlobalPolicy> SetChangePolicyAsync(ChangePolicy rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var current = state.State.Policy;
        return PublishAsync(current with { Version = current.Version + 1, ChangeRules = rules });
    }

    /// <inheritdoc />
    public Task<GlobalPolicy> SetAnalyticsPolicyAsync(AnalyticsPolicy rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var current = state.State.Policy;
        return PublishAsync(current with { Version = current.Version + 1, AnalyticsRules = rules });
    }

    /// <inheritdoc />
    public async Task<bool> TakeEmergencyAsync(string change)
    {
        var now = clock.GetUtcNow();
        var recent = state.State.Emergencies.Where(e => now - e.At < EmergencyWindow).ToImmutableArray();
        if (recent.Any(e => e.Change == change))
        {
            return true;
        }

        if (recent.Length >= state.State.Policy.Changes.EmergenciesPerHour)
        {
            return false;
        }

        state.State.Emergencies = recent.Add(new EmergencyUse(change, now));
        await state.WriteStateAsync();
        return true;
    }

    private async Task<GlobalPolicy> PublishAsync(GlobalPolicy candidate)
    {
        var problems = candidate.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The policy was not changed: " + string.Join("; ", problems));
        }

        state.State.Policy = candidate;
        await state.WriteStateAsync();
        var tenant = this.GetPrimaryKeyString();
        foreach (var region in state.State.Regions)
        {
            try
            {
                await GrainFactory.GetGrain<IRegionGrain>(new RegionId(tenant, region).ToString()).ApplyPolicyAsync(candidate);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The region keeps its last good policy and adopts this one when it next registers.
                logger.LogWarning(ex, "Region {Region} of {Tenant} did not take policy version {Version}", region, tenant, candidate.Version);
            }
        }

        return candidate;
    }

    /// <inheritdoc />
    public async Task<GlobalPolicy> RegisterRegionAsync(string region)
    {
        KeyPart.Validate(region, nameof(region));
        if (!state.State.Regions.Contains(region))
        {
            state.State.Regions = state.State.Regions.Add(region);
            await state.WriteStateAsync();
        }

        return state.State.Policy;
    }

    /// <inheritdoc />
    public async Task UnregisterRegionAsync(string region)
    {
        if (state.State.Regions.Contains(region))
        {
            state.State.Regions = state.State.Regions.Remove(region);
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<ImmutableArray<string>> GetRegionsAsync() => Task.FromResult(state.State.Regions.ToImmutableArray());
}
