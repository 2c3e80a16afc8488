using GraphQL.Types;
using Pdsno.Abstractions.Changes;
using Pdsno.GraphQL.Enums;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Types;

namespace Pdsno.GraphQL.Changes;

/// <summary>GraphQL <c>Change</c>: a governed configuration change with its diff, impact, approvals and outcome.</summary>
public sealed class ChangeGraphType : ObjectGraphType<ChangeView>
{
    /// <summary>Declares the change fields.</summary>
    public ChangeGraphType()
    {
        Name = "Change";
        Description = "A governed configuration change: proposal, diff and impact, sensitivity, approvals, execution and rollback.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is ChangeView;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(GlobalId.Change, c.Source.Id));
        Field("key", x => x.Id).Description("The change key (sorts by creation time).");
        Field(x => x.Title);
        Field(x => x.Reason, nullable: true);
        Field(x => x.Status, type: typeof(NonNullGraphType<ChangeStatusGraphType>));
        Field(x => x.Sensitivity, type: typeof(NonNullGraphType<SensitivityGraphType>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("reasons").Description("Why the change has its sensitivity.").Resolve(c => c.Source.Reasons);
        Field(x => x.Emergency).Description("Flagged as an emergency by the operator.");
        Field<NonNullGraphType<BooleanGraphType>>("acknowledged").Description("An emergency change stays flagged until a global approver acknowledges it.").Resolve(c => c.Source.AcknowledgedAt is not null);
        Field(x => x.AcknowledgedAt, nullable: true);
        Field(x => x.AcknowledgedBy, nullable: true);
        Field(x => x.Proposer).Description("The token that proposed it (id and name).");
        Field("intentKey", x => x.Intent, nullable: true).Description("The intent that owns the change (its routes), if any; the first of intentKeys.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("intentKeys")
            .Description("Every intent whose routes the change installs: intents placed at the same moment share one change.")
            .Resolve(c => c.Source.IntentKeys);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("regionKeys").Resolve(c => c.Source.Regions);
        Field<NonNullGraphType<ListGraphType<RegionGraphType>>>("regions").Resolve(c => c.Source.Regions.Select(r => c.Loaders().Regions.Load(r)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeTargetGraphType>>>>("targets").Resolve(c => c.Source.Targets);
        Field<NonNullGraphType<ChangeImpactGraphType>>("impact").Resolve(c => c.Source.Impact);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeApprovalGraphType>>>>("approvals").Resolve(c => c.Source.Approvals);
        Field(x => x.ApprovalsNeeded, nullable: true).Description("What approvals are still missing, while PENDING_APPROVAL.");
        Field<ExecutionTokenGraphType>("token").Description("The execution token's binding and use; never a secret.").Resolve(c => c.Source.Token);
        Field(x => x.Failure, nullable: true).Description("Why the execution failed.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeTransitionGraphType>>>>("history").Resolve(c => c.Source.History);
        Field(x => x.CreatedAt);
        Field(x => x.UpdatedAt);
        Field(x => x.Version, type: typeof(NonNullGraphType<LongGraphType>)).Description("The change's state version: grows with every transition.");
    }
}

/// <summary>GraphQL <c>ChangeTarget</c>: one device of a change.</summary>
public sealed class ChangeTargetGraphType : ObjectGraphType<ChangeTarget>
{
    /// <summary>Declares the fields.</summary>
    public ChangeTargetGraphType()
    {
        Name = "ChangeTarget";
        Field<DeviceGraphType>("device").Resolve(c => c.Loaders().Devices.Load(c.Source.Device));
        Field("deviceKey", x => x.Device);
        Field("deviceName", x => x.Name);
        Field("regionKey", x => x.Region);
        Field<NonNullGraphType<ChangePatchGraphType>>("patch").Resolve(c => c.Source.Patch);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeDiffEntryGraphType>>>>("diff").Description("Before -> after, per setting.").Resolve(c => c.Source.Diff);
        Field(x => x.UnifiedDiff).Description("The same difference as a unified diff of the config text.");
        Field<StringGraphType>("beforeHash").Description("SHA-256 of the config the change was diffed against.").Resolve(c => c.Source.BeforeDigest);
        Field<StringGraphType>("afterHash").Description("SHA-256 of the config the change applies.").Resolve(c => c.Source.AfterDigest);
        Field<ChangeTargetResultGraphType>("result").Description("How applying it went.").Resolve(c => c.Source.Result);
        Field<ChangeTargetResultGraphType>("rollback").Description("How restoring it went, if it was restored.").Resolve(c => c.Source.Rollback);
    }
}

/// <summary>GraphQL <c>ChangeTargetResult</c>.</summary>
public sealed class ChangeTargetResultGraphType : ObjectGraphType<ChangeTargetResult>
{
    /// <summary>Declares the fields.</summary>
    public ChangeTargetResultGraphType()
    {
        Name = "ChangeTargetResult";
        Field(x => x.Status).Description("APPLIED, FAILED, TIMED_OUT, MISMATCH or LOCKED.");
        Field(x => x.Message, nullable: true);
        Field(x => x.Version, type: typeof(LongGraphType)).Description("The device's config version after the step.");
        Field(x => x.At);
    }
}

/// <summary>GraphQL <c>ChangeDiffEntry</c>: one setting before and after.</summary>
public sealed class ChangeDiffEntryGraphType : ObjectGraphType<Abstractions.Config.ConfigDiffEntry>
{
    /// <summary>Declares the fields.</summary>
    public ChangeDiffEntryGraphType()
    {
        Name = "ChangeDiffEntry";
        Field(x => x.Path).Description("e.g. interfaces[eth1].enabled or routes[10.0.0.0/8 via 10.1.1.1].");
        Field(x => x.Before, nullable: true).Description("Null: absent before.");
        Field(x => x.After, nullable: true).Description("Null: absent after.");
    }
}

/// <summary>GraphQL <c>ChangeImpact</c>.</summary>
public sealed class ChangeImpactGraphType : ObjectGraphType<ChangeImpact>
{
    /// <summary>Declares the fields.</summary>
    public ChangeImpactGraphType()
    {
        Name = "ChangeImpact";
        Description = "What the change does to the live topology.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LinkImpactGraphType>>>>("linksDown").Description("UP links with an interface the change disables.").Resolve(c => c.Source.LinksDown);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("devicesIsolatedKeys").Resolve(c => c.Source.DevicesIsolated);
        Field<NonNullGraphType<ListGraphType<DeviceGraphType>>>("devicesIsolated")
            .Description("Devices that lose every path over UP links to their region's controllers (its core devices, else its best-connected device).")
            .Resolve(c => c.Source.DevicesIsolated.Select(d => c.Loaders().Devices.Load(d)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("intents").Description("Intents affected (none until intents exist).").Resolve(c => c.Source.Intents);
    }
}

/// <summary>GraphQL <c>LinkImpact</c>.</summary>
public sealed class LinkImpactGraphType : ObjectGraphType<LinkImpact>
{
    /// <summary>Declares the fields.</summary>
    public LinkImpactGraphType()
    {
        Name = "LinkImpact";
        Field<LinkGraphType>("link").Resolve(c => c.Loaders().Links.Load(c.Source.Link));
        Field("linkKey", x => x.Link);
        Field("deviceAKey", x => x.DeviceA);
        Field(x => x.InterfaceA);
        Field("deviceBKey", x => x.DeviceB);
        Field(x => x.InterfaceB);
    }
}

/// <summary>GraphQL <c>ChangeApproval</c>.</summary>
public sealed class ChangeApprovalGraphType : ObjectGraphType<ChangeApproval>
{
    /// <summary>Declares the fields.</summary>
    public ChangeApprovalGraphType()
    {
        Name = "ChangeApproval";
        Field(x => x.Approver).Description("The approving token (id and name).");
        Field(x => x.Decision, type: typeof(NonNullGraphType<ApprovalDecisionGraphType>));
        Field(x => x.Comment, nullable: true);
        Field(x => x.At);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("regions").Description("The approver's regions; empty: the whole tenant.").Resolve(c => c.Source.Regions);
        Field(x => x.Global).Description("Given with the global-approver role.");
    }
}

/// <summary>GraphQL <c>ExecutionToken</c>: what the token binds and whether it was used, never a secret.</summary>
public sealed class ExecutionTokenGraphType : ObjectGraphType<ExecutionToken>
{
    /// <summary>Declares the fields.</summary>
    public ExecutionTokenGraphType()
    {
        Name = "ExecutionToken";
        Field(x => x.Hash).Description("SHA-256 over the change id, each target's exact patch and its config hashes before and after.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("deviceKeys").Resolve(c => c.Source.Devices);
        Field(x => x.IssuedAt);
        Field(x => x.ExpiresAt);
        Field<NonNullGraphType<BooleanGraphType>>("redeemed").Resolve(c => c.Source.RedeemedAt is not null);
        Field(x => x.RedeemedAt, nullable: true);
        Field(x => x.RedeemedBy, nullable: true);
    }
}

/// <summary>GraphQL <c>ChangeTransition</c>: one step of a change's history.</summary>
public sealed class ChangeTransitionGraphType : ObjectGraphType<ChangeTransition>
{
    /// <summary>Declares the fields.</summary>
    public ChangeTransitionGraphType()
    {
        Name = "ChangeTransition";
        Field(x => x.At);
        Field(x => x.From, type: typeof(ChangeStatusGraphType));
        Field(x => x.To, type: typeof(NonNullGraphType<ChangeStatusGraphType>));
        Field(x => x.Actor);
        Field(x => x.Note, nullable: true);
    }
}
