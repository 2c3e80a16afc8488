using Orleans.Concurrency;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>
/// One governed configuration change, from proposal through approval to execution and rollback. Key:
/// <c>tenant/change</c>. Approval rules are checked here against the caller (roles and regions), not only by the API.
/// </summary>
[Alias("pdsno.IChangeGrain")]
public interface IChangeGrain : IGrainWithStringKey
{
    /// <summary>Validates, diffs, assesses and classifies a new proposal; stores nothing when it is invalid.</summary>
    [Alias("Propose"), Requires(Roles.Operator)]
    Task<ChangeOutcome> ProposeAsync(ChangeProposal proposal);

    /// <summary>Replaces the proposal of a change not yet executed; withdraws every approval and its token.</summary>
    [Alias("Update"), Requires(Roles.Operator)]
    Task<ChangeOutcome> UpdateAsync(ChangeProposal proposal);

    /// <summary>Approves as the caller (a region or global approver, as the sensitivity needs); issues the token when enough approvals are in.</summary>
    [Alias("Approve"), Requires(Roles.Viewer)]
    Task<ChangeOutcome> ApproveAsync(string? comment);

    /// <summary>Rejects as the caller (an approver the change could be approved by); final.</summary>
    [Alias("Reject"), Requires(Roles.Viewer)]
    Task<ChangeOutcome> RejectAsync(string? comment);

    /// <summary>Acknowledges an emergency change (global approvers).</summary>
    [Alias("AcknowledgeEmergency"), Requires(Roles.Viewer)]
    Task<ChangeOutcome> AcknowledgeEmergencyAsync(string? comment);

    /// <summary>Redeems the change's execution token once and applies every target, rolling back on failure; answers the final state.</summary>
    [Alias("Execute"), Requires(Roles.Operator)]
    Task<ChangeOutcome> ExecuteAsync();

    /// <summary>Cancels a change that has not started executing.</summary>
    [Alias("Cancel"), Requires(Roles.Operator)]
    Task<ChangeOutcome> CancelAsync(string? comment);

    /// <summary>
    /// Finishes an execution a silo left halfway (its apply or its rollback, from the stored step), or gives back the
    /// lock of <paramref name="lockedDevice"/> when this change holds it without executing. PDSNO's own recovery only.
    /// </summary>
    [Alias("Resume")]
    Task ResumeAsync(string? lockedDevice);

    /// <summary>The change, or null when it does not exist (or lies outside the caller's regions); answers during an execution too.</summary>
    [Alias("Get"), Requires(Roles.Viewer), AlwaysInterleave]
    Task<ChangeView?> GetAsync();
}
