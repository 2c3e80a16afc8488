using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Changes;

/// <summary>
/// Who may approve a change and when it has enough approvals. MEDIUM needs, in every region it touches, the policy's
/// number of approvals by region approvers of that region (a global approver counts too); HIGH needs global approvers.
/// Nobody who wrote the change approves it, and admin rights approve nothing.
/// </summary>
public static class ChangeApprovals
{
    /// <summary>Why <paramref name="caller"/> may not approve or reject a change, or null when they may.</summary>
    public static ChangeRefusal? CanDecide(
        Caller caller, Sensitivity sensitivity, IReadOnlyCollection<string> regions, IReadOnlyCollection<string> authors, IEnumerable<ChangeApproval> approvals)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(authors);
        ArgumentNullException.ThrowIfNull(approvals);
        var allowed = sensitivity switch
        {
            Sensitivity.High => caller.Has(Roles.GlobalApprover),
            Sensitivity.Medium => caller.Has(Roles.RegionApprover) || caller.Has(Roles.GlobalApprover),
            _ => false,
        };
        if (!allowed)
        {
            var needs = sensitivity == Sensitivity.High ? "the global-approver role" : "the region-approver or global-approver role";
            var what = sensitivity is Sensitivity.Low or Sensitivity.Emergency ? $"a {Name(sensitivity)} change needs no approval" : $"approving a {Name(sensitivity)} change needs {needs}";
            return new ChangeRefusal(ChangeRefusalCode.Forbidden, what, ["input", "changeId"]);
        }

        if (!caller.IsSystem && authors.Contains(caller.TokenId))
        {
            return new ChangeRefusal(ChangeRefusalCode.Forbidden, "a change cannot be approved or rejected by a token that proposed or edited it", ["input", "changeId"]);
        }

        if (approvals.Any(a => a.TokenId == caller.TokenId))
        {
            return new ChangeRefusal(ChangeRefusalCode.Conflict, "this token has decided on the change already", ["input", "changeId"]);
        }

        return null;
    }

    /// <summary>The approval <paramref name="caller"/> gives.</summary>
    public static ChangeApproval Approval(Caller caller, ApprovalDecision decision, string? comment, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new ChangeApproval(caller.TokenId, caller.Actor, decision, comment, at, caller.IsRegionScoped ? caller.Regions : [], caller.Has(Roles.GlobalApprover));
    }

    /// <summary>What is still missing, or null when the approvals suffice.</summary>
    public static string? Missing(Sensitivity sensitivity, IReadOnlyCollection<string> regions, IReadOnlyList<ChangeApproval> approvals, ChangePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(approvals);
        ArgumentNullException.ThrowIfNull(policy);
        var approved = approvals.Where(a => a.Decision == ApprovalDecision.Approved).ToList();
        switch (sensitivity)
        {
            case Sensitivity.High:
                var global = approved.Count(a => a.Global);
                return global >= policy.HighApprovals ? null : $"{policy.HighApprovals - global} more approval(s) by a global-approver";
            case Sensitivity.Medium:
                var missing = regions
                    .Select(r => (Region: r, Count: approved.Count(a => a.Regions.IsDefaultOrEmpty || a.Regions.Contains(r, StringComparer.Ordinal))))
                    .Where(x => x.Count < policy.MediumApprovals)
                    .Select(x => $"{policy.MediumApprovals - x.Count} more approval(s) by a region-approver of {x.Region}")
                    .ToList();
                return missing.Count == 0 ? null : string.Join("; ", missing);
            default:
                return null;
        }
    }

    /// <summary>The API's name of a sensitivity.</summary>
    public static string Name(Sensitivity sensitivity) => sensitivity.ToString().ToUpperInvariant();
}
