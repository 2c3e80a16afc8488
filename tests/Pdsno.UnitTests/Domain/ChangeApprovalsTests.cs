using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Changes;

namespace Pdsno.UnitTests.Domain;

public class ChangeApprovalsTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Caller RegionApprover1 = new("t", "0000000000000001", "ra1", Roles.RegionApprover, ["r1"]);
    private static readonly Caller RegionApprover2 = new("t", "0000000000000002", "ra2", Roles.RegionApprover, ["r2"]);
    private static readonly Caller GlobalApprover = new("t", "0000000000000003", "ga", Roles.GlobalApprover, []);
    private static readonly Caller Admin = new("t", "0000000000000004", "admin", Roles.Admin, []);
    private static readonly Caller Proposer = new("t", "0000000000000005", "both", Roles.Operator | Roles.GlobalApprover, []);

    private static ChangeRefusal? Decide(Caller caller, Sensitivity s, params ChangeApproval[] approvals) =>
        ChangeApprovals.CanDecide(caller, s, ["r1"], [Proposer.TokenId], approvals);

    [Fact]
    public void Admin_rights_approve_nothing()
    {
        Assert.Equal(ChangeRefusalCode.Forbidden, Decide(Admin, Sensitivity.Medium)?.Code);
        Assert.Equal(ChangeRefusalCode.Forbidden, Decide(Admin, Sensitivity.High)?.Code);
    }

    [Fact]
    public void High_needs_a_global_approver_and_medium_takes_either()
    {
        Assert.Equal(ChangeRefusalCode.Forbidden, Decide(RegionApprover1, Sensitivity.High)?.Code);
        Assert.Null(Decide(GlobalApprover, Sensitivity.High));
        Assert.Null(Decide(RegionApprover1, Sensitivity.Medium));
        Assert.Null(Decide(GlobalApprover, Sensitivity.Medium));
    }

    [Fact]
    public void The_proposer_never_decides_even_with_the_role()
    {
        var refusal = Decide(Proposer, Sensitivity.High);

        Assert.Equal(ChangeRefusalCode.Forbidden, refusal?.Code);
        Assert.Contains("proposed or edited", refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_token_decides_once()
    {
        var first = ChangeApprovals.Approval(GlobalApprover, ApprovalDecision.Approved, "ok", At);

        Assert.Equal(ChangeRefusalCode.Conflict, Decide(GlobalApprover, Sensitivity.High, first)?.Code);
    }

    [Fact]
    public void Medium_needs_approvals_covering_every_region_touched()
    {
        var policy = ChangePolicy.Default;
        var one = ChangeApprovals.Approval(RegionApprover1, ApprovalDecision.Approved, null, At);
        var two = ChangeApprovals.Approval(RegionApprover2, ApprovalDecision.Approved, null, At);

        Assert.Equal("1 more approval(s) by a region-approver of r2", ChangeApprovals.Missing(Sensitivity.Medium, ["r1", "r2"], [one], policy));
        Assert.Null(ChangeApprovals.Missing(Sensitivity.Medium, ["r1", "r2"], [one, two], policy));
        Assert.NotNull(ChangeApprovals.Missing(Sensitivity.Medium, ["r1"], [one], policy with { MediumApprovals = 2 }));
    }

    [Fact]
    public void High_counts_global_approvals_only_and_rejections_never_count()
    {
        var policy = ChangePolicy.Default with { HighApprovals = 2 };
        var region = ChangeApprovals.Approval(RegionApprover1, ApprovalDecision.Approved, null, At);
        var global = ChangeApprovals.Approval(GlobalApprover, ApprovalDecision.Approved, null, At);
        var rejected = ChangeApprovals.Approval(GlobalApprover with { TokenId = "0000000000000009" }, ApprovalDecision.Rejected, null, At);

        Assert.Equal("1 more approval(s) by a global-approver", ChangeApprovals.Missing(Sensitivity.High, ["r1"], [region, global, rejected], policy));
        Assert.Null(ChangeApprovals.Missing(Sensitivity.High, ["r1"], [global, global with { TokenId = "x" }], policy));
    }
}
