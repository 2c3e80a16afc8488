using GraphQL.Types;
using Pdsno.Abstractions.Changes;

namespace Pdsno.GraphQL.Enums;

/// <summary>GraphQL <c>ChangeStatus</c>: PENDING_APPROVAL, APPROVED, EXECUTING, ROLLING_BACK and the final states.</summary>
public sealed class ChangeStatusGraphType : EnumerationGraphType<ChangeStatus>
{
    /// <summary>Declares one value per <see cref="ChangeStatus"/> member.</summary>
    public ChangeStatusGraphType()
    {
        Name = "ChangeStatus";
    }
}

/// <summary>GraphQL <c>Sensitivity</c>: LOW, MEDIUM, HIGH, EMERGENCY.</summary>
public sealed class SensitivityGraphType : EnumerationGraphType<Sensitivity>
{
    /// <summary>Declares one value per <see cref="Sensitivity"/> member.</summary>
    public SensitivityGraphType()
    {
        Name = "Sensitivity";
    }
}

/// <summary>GraphQL <c>ApprovalDecision</c>: APPROVED or REJECTED.</summary>
public sealed class ApprovalDecisionGraphType : EnumerationGraphType<ApprovalDecision>
{
    /// <summary>Declares one value per <see cref="ApprovalDecision"/> member.</summary>
    public ApprovalDecisionGraphType()
    {
        Name = "ApprovalDecision";
    }
}
