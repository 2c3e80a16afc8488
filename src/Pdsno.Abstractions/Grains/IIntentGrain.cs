using Orleans.Concurrency;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>
/// One stored intent: its spec, lifecycle and the changes that install it. Key: <c>tenant/intent</c>. Compiling and
/// reserving happen in the tenant's <see cref="IIntentNetworkGrain"/>; installing goes through governed changes the
/// intent owns, so they follow the tenant's approval rules.
/// </summary>
[Alias("pdsno.IIntentGrain")]
public interface IIntentGrain : IGrainWithStringKey
{
    /// <summary>Compiles, stores and installs a new intent; stores nothing when the input is bad.</summary>
    [Alias("Create"), Requires(Roles.Operator)]
    Task<IntentOutcome> CreateAsync(IntentSpec spec);

    /// <summary>Replaces the spec of an intent not withdrawn, recompiles and reinstalls it.</summary>
    [Alias("Update"), Requires(Roles.Operator)]
    Task<IntentOutcome> UpdateAsync(IntentSpec spec);

    /// <summary>Frees the intent's reservations and removes its routes through a change; a compliance intent leaves the devices' config as it is.</summary>
    [Alias("Withdraw"), Requires(Roles.Operator)]
    Task<IntentOutcome> WithdrawAsync();

    /// <summary>The intent, or null when it does not exist or lies outside the caller's regions.</summary>
    [Alias("Get"), Requires(Roles.Viewer)]
    Task<IntentView?> GetAsync();

    /// <summary>The tenant's engine placed the intent anew (a reroute, a displacement, a retry, a rebuild): reinstall.</summary>
    [Alias("Replaced"), OneWay]
    Task ReplacedAsync(IntentPlacement placement);

    /// <summary>
    /// A device this compliance intent selects joined it, drifted or had its intended config changed (events coalesced by
    /// the tenant's engine): devices that no longer comply get a remediation change.
    /// </summary>
    [Alias("Remediate"), OneWay]
    Task RemediateAsync(IntentPlacement placement);

    /// <summary>One page (by device key, after <paramref name="after"/>) of the devices a compliance intent selects, each compliant or not and why; null for another kind.</summary>
    [Alias("Compliance"), Requires(Roles.Viewer)]
    Task<IntentCompliance?> ComplianceAsync(int first, string? after);

    /// <summary>A change the intent owns reached <paramref name="status"/>.</summary>
    [Alias("ChangeSettled"), OneWay]
    Task ChangeSettledAsync(string change, ChangeStatus status, string? failure);
}
