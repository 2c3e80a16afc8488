using Microsoft.Extensions.Logging;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Changes;

/// <summary>
/// One governed change. Every transition is written to grain state with its events (the outbox), then projected to the
/// read model and the event log, then announced. The caller's roles and regions are checked here as well as in the API:
/// a change is visible only to callers who see every region it touches, which keeps other regions' devices hidden.
/// </summary>
[GrainType("change")]
public sealed partial class ChangeGrain(
    [PersistentState("change", PdsnoStreams.Storage)] IPersistentState<ChangeState> state,
    [PersistentState("change-plan", PdsnoStreams.Storage)] IPersistentState<ChangePlanState> configs,
    IProjectionWriter projection,
    IChangeTopology topology,
    TimeProvider clock,
    ILogger<ChangeGrain> logger) : Grain, IChangeGrain, IRemindable
{
    private ChangeId _id;
    private Outbox<ChangeState> _outbox = null!;

    private string Aggregate => "change:" + _id.Change;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = ChangeId.Parse(this.GetPrimaryKeyString());
        _outbox = new Outbox<ChangeState>(this, state, projection, _id.Tenant, $"change {_id}", ProjectionOf, projected: null, logger);
        if (state.RecordExists && state.State.Change is { } change)
        {
            _outbox.Resume();
            if (change.Status is ChangeStatus.Executing or ChangeStatus.RollingBack)
            {
                // The silo that ran the execution died; the recovery sweep would find it too, this is sooner.
                this.RegisterGrainTimer(_ => ResumeAsync(null), new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan) { Interleave = false });
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> ProposeAsync(ChangeProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var caller = CallerContext.Current ?? Caller.System;
        if (state.State.Change is not null)
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.Conflict, $"change {_id.Change} exists already", "input");
        }

        var policy = await PolicyAsync();
        var plan = await PlanAsync(proposal, caller, policy);
        if (plan.Refusals.Count > 0)
        {
            return ChangeOutcome.Refuse(plan.Refusals);
        }

        if (proposal.Emergency && await EmergencyRefusedAsync(policy) is { } limited)
        {
            return limited;
        }

        var planId = await StorePlanAsync(plan);
        var now = clock.GetUtcNow();
        var change = new ChangeView(
            _id.Change, proposal.Title.Trim(), proposal.Reason, ChangeStatus.PendingApproval, plan.Sensitivity, plan.Reasons, proposal.Emergency, null, null,
            caller.Actor, plan.Targets, plan.Impact, [], null, [new ChangeTransition(now, null, ChangeStatus.PendingApproval, caller.Actor, proposal.Reason)],
            null, null, now, now, 0, proposal.Intent ?? (proposal.Intents.IsDefaultOrEmpty ? null : proposal.Intents[0].Intent),
            proposal.Intents.IsDefaultOrEmpty ? (proposal.Intent is null ? [] : [proposal.Intent]) : [.. proposal.Intents.Select(i => i.Intent)]);
        var events = new List<(TopologyEventType, ChangeStatus?, ChangeStatus)> { (TopologyEventType.ChangeProposed, null, ChangeStatus.PendingApproval) };
        change = Settle(change, policy, now, events);
        if (proposal.Execute && change.Status == ChangeStatus.Approved)
        {
            // Approved at once and asked to run: executed in the same call, exactly as executeChange would, the proposal
            // stored with its redemption once the devices are locked. A refused execution leaves the approved change.
            if (await RedeemAsync(change, caller, events, Proposed) is { } notNow)
            {
                await CommitAsync(change, events, caller.Actor, Proposed);
                return new ChangeOutcome(state.State.Change, notNow.Refusals);
            }

            await RunAsync();
            return ChangeOutcome.Ok(state.State.Change!);
        }

        await CommitAsync(change, events, caller.Actor, Proposed);
        return ChangeOutcome.Ok(state.State.Change!);

        void Proposed(ChangeState s)
        {
            s.Authors = [caller.TokenId];
            s.PlanId = planId;
        }
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> UpdateAsync(ChangeProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var caller = CallerContext.Current ?? Caller.System;
        if (Visible(caller) is not { } current)
        {
            return NotFound();
        }

        if (current.Status is not (ChangeStatus.PendingApproval or ChangeStatus.Approved))
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.Conflict, $"only a change that has not started executing can be edited; this one is {Api(current.Status)}", "input", "changeId");
        }

        var policy = await PolicyAsync();
        var plan = await PlanAsync(proposal, caller, policy);
        if (plan.Refusals.Count > 0)
        {
            return ChangeOutcome.Refuse(plan.Refusals);
        }

        if (proposal.Emergency && !current.Emergency && await EmergencyRefusedAsync(policy) is { } limited)
        {
            return limited;
        }

        var planId = await StorePlanAsync(plan);
        var now = clock.GetUtcNow();
        var withdrawn = current.Approvals.Any(a => a.Decision == ApprovalDecision.Approved) || current.Token is not null;
        var change = current with
        {
            Title = proposal.Title.Trim(),
            Reason = proposal.Reason,
            Status = ChangeStatus.PendingApproval,
            Sensitivity = plan.Sensitivity,
            Reasons = plan.Reasons,
            Emergency = proposal.Emergency,
            AcknowledgedAt = null,
            AcknowledgedBy = null,
            Targets = plan.Targets,
            Impact = plan.Impact,
            Approvals = [],
            Token = null,
            ApprovalsNeeded = null,
            History = current.History.Add(new ChangeTransition(now, current.Status, ChangeStatus.PendingApproval, caller.Actor, withdrawn ? "edited: approvals and token withdrawn" : "edited")),
            UpdatedAt = now,
        };
        var events = new List<(TopologyEventType, ChangeStatus?, ChangeStatus)> { (TopologyEventType.ChangeUpdated, current.Status, ChangeStatus.PendingApproval) };
        change = Settle(change, policy, now, events);
        await CommitAsync(change, events, caller.Actor, s =>
        {
            s.Authors = s.Authors.Contains(caller.TokenId) ? s.Authors : s.Authors.Add(caller.TokenId);
            s.EditedAfterApproval = withdrawn && change.Status == ChangeStatus.PendingApproval;
            s.PlanId = planId;
        });
        return ChangeOutcome.Ok(state.State.Change!);
    }

    /// <inheritdoc />
    public Task<ChangeOutcome> ApproveAsync(string? comment) => DecideAsync(ApprovalDecision.Approved, comment);

    /// <inheritdoc />
    public Task<ChangeOutcome> RejectAsync(string? comment) => DecideAsync(ApprovalDecision.Rejected, comment);

    /// <inheritdoc />
    public async Task<ChangeOutcome> AcknowledgeEmergencyAsync(string? comment)
    {
        var caller = CallerContext.Current ?? Caller.System;
        if (Visible(caller) is not { } current)
        {
            return NotFound();
        }

        if (ChangeValidation.CheckComment(comment) is { } bad)
        {
            return ChangeOutcome.Refuse([bad]);
        }

        if (!caller.Has(Roles.GlobalApprover))
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.Forbidden, "acknowledging an emergency change needs the global-approver role", "input", "changeId");
        }

        if (!current.Emergency)
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.Conflict, "the change is not an emergency change", "input", "changeId");
        }

        if (current.AcknowledgedAt is not null)
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.Conflict, $"the emergency was acknowledged already by {current.AcknowledgedBy}", "input", "changeId");
        }

        if (!caller.IsSystem && state.State.Authors.Contains(caller.TokenId))
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.Forbidden, "an emergency change cannot be acknowledged by a token that proposed or edited it", "input", "changeId");
        }

        var now = clock.GetUtcNow();
        var change = current with
        {
            AcknowledgedAt = now,
            AcknowledgedBy = caller.Actor,
            History = current.History.Add(new ChangeTransition(now, current.Status, current.Status, caller.Actor, "emergency acknowledged" + (comment is null ? "" : ": " + comment))),
            UpdatedAt = now,
        };
        await CommitAsync(change, [(TopologyEventType.EmergencyAcknowledged, current.Status, current.Status)], caller.Actor);
        return ChangeOutcome.Ok(state.State.Change!);
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> CancelAsync(string? comment)
    {
        var caller = CallerContext.Current ?? Caller.System;
        if (Visible(caller) is not { } current)
        {
            return NotFound();
        }

        if (ChangeValidation.CheckComment(comment) is { } bad)
        {
            return ChangeOutcome.Refuse([bad]);
        }

        if (current.Status is not (ChangeStatus.PendingApproval or ChangeStatus.Approved))
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.Conflict, $"only a change that has not started executing can be cancelled; this one is {Api(current.Status)}", "input", "changeId");
        }

        await CommitAsync(Move(current, ChangeStatus.Cancelled, caller.Actor, comment), [(TopologyEventType.ChangeCompleted, current.Status, ChangeStatus.Cancelled)], caller.Actor);
        if (current.Status == ChangeStatus.Approved)
        {
            // An execution refused halfway (or cut short by a crash before its redemption) may have left a lock behind.
            await UnlockAllAsync(current);
        }

        return ChangeOutcome.Ok(state.State.Change!);
    }

    /// <inheritdoc />
    public Task<ChangeView?> GetAsync() => Task.FromResult(Visible(CallerContext.Current ?? Caller.System));

    private async Task<ChangeOutcome> DecideAsync(ApprovalDecision decision, string? comment)
    {
        var caller = CallerContext.Current ?? Caller.System;
        if (Visible(caller) is not { } current)
        {
            return NotFound();
        }

        if (ChangeValidation.CheckComment(comment) is { } bad)
        {
            return ChangeOutcome.Refuse([bad]);
        }

        var open = decision == ApprovalDecision.Approved
            ? current.Status == ChangeStatus.PendingApproval
            : current.Status is ChangeStatus.PendingApproval or ChangeStatus.Approved;
        if (!open)
        {
            var why = current.Status == ChangeStatus.Approved ? "the change is approved already" : $"the change is {Api(current.Status)}";
            return ChangeOutcome.Refuse(ChangeRefusalCode.Conflict, why, "input", "changeId");
        }

        if (ChangeApprovals.CanDecide(caller, current.Sensitivity, current.Regions, state.State.Authors, current.Approvals) is { } refused)
        {
            return ChangeOutcome.Refuse([refused]);
        }

        var now = clock.GetUtcNow();
        var change = current with { Approvals = current.Approvals.Add(ChangeApprovals.Approval(caller, decision, comment, now)), UpdatedAt = now };
        if (decision == ApprovalDecision.Rejected)
        {
            await CommitAsync(Move(change, ChangeStatus.Rejected, caller.Actor, comment), [(TopologyEventType.ChangeRejected, current.Status, ChangeStatus.Rejected)], caller.Actor);
            return ChangeOutcome.Ok(state.State.Change!);
        }

        var policy = await PolicyAsync();
        var events = new List<(TopologyEventType, ChangeStatus?, ChangeStatus)>();
        change = Settle(change, policy, now, events);
        if (events.Count == 0)
        {
            events.Add((TopologyEventType.ChangeApproved, current.Status, current.Status));
            change = change with { History = change.History.Add(new ChangeTransition(now, current.Status, current.Status, caller.Actor, "approved: " + (comment ?? ""))) };
        }

        await CommitAsync(change, events, caller.Actor, s => s.EditedAfterApproval = s.EditedAfterApproval && change.Status != ChangeStatus.Approved);
        return ChangeOutcome.Ok(state.State.Change!);
    }

    // Issues the token when the approvals (or the sensitivity) suffice; otherwise says what is missing.
    private static ChangeView Settle(ChangeView change, ChangePolicy policy, DateTimeOffset now, List<(TopologyEventType, ChangeStatus?, ChangeStatus)> events)
    {
        var missing = change.Sensitivity is Sensitivity.Low or Sensitivity.Emergency ? null : ChangeApprovals.Missing(change.Sensitivity, change.Regions, change.Approvals, policy);
        if (missing is not null)
        {
            return change with { ApprovalsNeeded = missing };
        }

        var note = change.Sensitivity switch
        {
            Sensitivity.Low => $"LOW: approved by region {string.Join(", ", change.Regions)} at once",
            Sensitivity.Emergency => "EMERGENCY: approved at once, to be acknowledged by a global-approver",
            _ => "approvals complete",
        };
        var token = new ExecutionToken(
            "xt-" + Guid.NewGuid().ToString("N"),
            ChangeRules.TokenHash(change.Id, change.Targets),
            [.. change.Targets.Select(t => t.Device)],
            now,
            now + policy.TokenLifetime);
        events.Add((TopologyEventType.ChangeApproved, change.Status, ChangeStatus.Approved));
        return change with
        {
            Status = ChangeStatus.Approved,
            Token = token,
            ApprovalsNeeded = null,
            History = change.History.Add(new ChangeTransition(now, change.Status, ChangeStatus.Approved, change.Sensitivity is Sensitivity.Low ? "region" : "system", note)),
        };
    }

    private async Task<ChangeOutcome?> EmergencyRefusedAsync(ChangePolicy policy)
    {
        var granted = await GrainFactory.GetGrain<IGlobalPolicyGrain>(_id.Tenant).TakeEmergencyAsync(_id.Change);
        return granted
            ? null
            : ChangeOutcome.Refuse(ChangeRefusalCode.RateLimited, $"the tenant made its {policy.EmergenciesPerHour} emergency change(s) of the last hour; propose it without the emergency flag", "input", "emergency");
    }

    private async Task<ChangePolicy> PolicyAsync() => (await GrainFactory.GetGrain<IGlobalPolicyGrain>(_id.Tenant).GetPolicyAsync()).Changes;

    private ChangeView? Visible(Caller caller) =>
        state.State.Change is { } change && (caller.IsSystem || change.Regions.All(caller.CanSeeRegion)) ? change : null;

    private ChangeOutcome NotFound() => ChangeOutcome.Refuse(ChangeRefusalCode.NotFound, $"change '{_id.Change}' not found", "input", "changeId");

    private ChangeView Move(ChangeView change, ChangeStatus to, string actor, string? note)
    {
        var now = clock.GetUtcNow();
        return change with { Status = to, History = change.History.Add(new ChangeTransition(now, change.Status, to, actor, note)), UpdatedAt = now };
    }

    private async Task CommitAsync(ChangeView change, IReadOnlyList<(TopologyEventType Type, ChangeStatus? From, ChangeStatus To)> events, string actor, Action<ChangeState>? also = null)
    {
        var now = clock.GetUtcNow();
        var device = change.Targets.Length == 1 ? change.Targets[0].Device : null;
        await _outbox.CommitAsync(
            version => events.SelectMany(e => change.Regions.Select(r => (e, r))).Select((x, n) => new EventDraft(
                x.e.Type, Aggregate, version, n, x.r, device, null, null, x.e.From is { } from ? Api(from) : null, Api(x.e.To), now, actor)),
            s =>
            {
                s.Change = change with { Version = s.Version + 1 };
                also?.Invoke(s);
            });
        if (change.Status.IsFinal())
        {
            // One-way: an intent may be waiting on this change, and it reads the outcome it gets back too.
            foreach (var intent in change.IntentKeys)
            {
                await GrainFactory.GetGrain<IIntentGrain>(new IntentId(_id.Tenant, intent).ToString()).ChangeSettledAsync(_id.Change, change.Status, change.Failure);
            }
        }
    }

    private ProjectionWork ProjectionOf(ChangeState s, bool allRows)
    {
        var c = s.Change!;
        var row = new ChangeRow(
            c.Id, c.Title, Api(c.Status), ChangeApprovals.Name(c.Sensitivity), c.Emergency, c.AcknowledgedAt is not null, c.Proposer,
            c.Regions, [.. c.Targets.Select(t => t.Device)], c.CreatedAt, c.UpdatedAt, s.Version, ChangeDocument.Serialize(c));
        return new ProjectionWork(_id.Tenant, s.Outbox, Change: row);
    }

    private static string Api(ChangeStatus status) => status.ApiName();
}
