using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Intents;

/// <summary>
/// One stored intent. The tenant's <see cref="IntentNetworkGrain"/> compiles and reserves; this grain keeps the spec and
/// lifecycle durable (state written with its projection and events, as changes are) and installs the compiled routes
/// through a governed change it owns, so the tenant's approval rules apply. A change waiting for an approver leaves the
/// intent PENDING_APPROVAL until the change tells it how it ended.
/// </summary>
[GrainType("intent")]
public sealed partial class IntentGrain(
    [PersistentState("intent", PdsnoStreams.Storage)] IPersistentState<IntentState> state,
    IProjectionWriter projection,
    TimeProvider clock,
    ILogger<IntentGrain> logger) : Grain, IIntentGrain
{
    private IntentId _id;
    private Outbox<IntentState> _outbox = null!;

    private IIntentNetworkGrain Network => GrainFactory.GetGrain<IIntentNetworkGrain>(_id.Tenant);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = IntentId.Parse(this.GetPrimaryKeyString());
        _outbox = new Outbox<IntentState>(this, state, projection, _id.Tenant, $"intent {_id}", ProjectionOf, projected: null, logger);
        if (state.RecordExists && state.State.Intent is not null)
        {
            _outbox.Resume();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<IntentOutcome> CreateAsync(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var caller = CallerContext.Current ?? Caller.System;
        if (state.State.Intent is not null)
        {
            return IntentOutcome.Refuse("id", $"intent '{_id.Intent}' exists already");
        }

        return await PlaceAsync(caller, IntentDocument.Normalize(spec with { Id = _id.Intent }), null);
    }

    /// <inheritdoc />
    public async Task<IntentOutcome> UpdateAsync(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var caller = CallerContext.Current ?? Caller.System;
        if (Visible(caller) is not { } current)
        {
            return NotFound();
        }

        if (current.Status is IntentStatus.Withdrawn or IntentStatus.Withdrawing or IntentStatus.WithdrawReq)
        {
            return IntentOutcome.Refuse("id", $"intent '{_id.Intent}' is withdrawn");
        }

        if (spec.Kind != current.Spec.Kind)
        {
            return IntentOutcome.Refuse("kind", $"an intent keeps its kind ({current.Spec.Kind.ToString().ToUpperInvariant()})");
        }

        return await PlaceAsync(caller, IntentDocument.Normalize(spec with { Id = _id.Intent }), current);
    }

    /// <inheritdoc />
    public async Task<IntentOutcome> WithdrawAsync()
    {
        var caller = CallerContext.Current ?? Caller.System;
        if (Visible(caller) is not { } current)
        {
            return NotFound();
        }

        if (current.Status is IntentStatus.Withdrawn or IntentStatus.Withdrawing or IntentStatus.WithdrawReq)
        {
            return new IntentOutcome(current, []);
        }

        await Network.WithdrawAsync(_id.Intent);
        await CancelPendingAsync();
        if (current.Spec.Kind == IntentKind.Compliance)
        {
            // The devices keep the config it set: removing NTP servers or a location is no sane undo.
            var withdrawn = Move(Move(current, IntentStatus.Withdrawing, caller.Actor, null), IntentStatus.Withdrawn, caller.Actor, "withdrawn: the devices keep the config it set") with { Reason = null };
            await CommitAsync(withdrawn, current.Status, caller.Actor, s =>
            {
                s.PendingRoutes = [];
                s.Rest = ComplianceRest.None;
            });
            return new IntentOutcome(state.State.Intent, []);
        }

        var withdrawing = Move(current, IntentStatus.Withdrawing, caller.Actor, "withdrawn: its routes are removed") with { Path = null, Backup = null, ReservedBps = 0, Reason = null };
        await CommitAsync(withdrawing, current.Status, caller.Actor, s => s.PendingRoutes = []);
        await InstallAsync(caller, [], reroute: true);
        return new IntentOutcome(state.State.Intent, []);
    }

    /// <inheritdoc />
    public Task<IntentView?> GetAsync() => Task.FromResult(Visible(CallerContext.Current ?? Caller.System));

    /// <inheritdoc />
    public async Task ReplacedAsync(IntentPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (state.State.Intent is not { } current || current.Status is IntentStatus.Withdrawn or IntentStatus.Withdrawing)
        {
            return;
        }

        // Topology reactions act for PDSNO, not for whoever asked the question that fed the graph.
        using var system = CallerContext.AsSystem();
        await CancelPendingAsync();
        if (current.Spec.Kind == IntentKind.Compliance)
        {
            await SettleComplianceAsync(Caller.System, state.State.Intent!, placement, IntentStatus.Recompiling);
            return;
        }

        // A reroute of an intent that holds routes (so was approved once) may be LOW by the change rules; one the closed
        // loop proposes under a reviewing policy waits for an approver whatever it is.
        await SettleAsync(Caller.System, state.State.Intent!, placement, IntentStatus.Recompiling, !current.Installed.IsEmpty);
    }

    /// <inheritdoc />
    public async Task ChangeSettledAsync(string change, ChangeStatus status, string? failure)
    {
        if (state.State.Intent is not { } current || state.State.PendingChange != change)
        {
            return;
        }

        if (status == ChangeStatus.Applied && state.State.Rest != ComplianceRest.None)
        {
            await NextPartAsync(change, state.State.Rest);
            return;
        }

        await EndedAsync(current, change, status, failure, "system");
        if (status == ChangeStatus.Applied)
        {
            await RecheckAsync();
        }
    }

    // Compiles through the tenant's engine and, when the input is good, stores and installs.
    private async Task<IntentOutcome> PlaceAsync(Caller caller, IntentSpec spec, IntentView? current)
    {
        var placement = await Network.SubmitAsync(spec, caller.IsRegionScoped ? caller.Regions : default);
        if (placement.Errors.Length > 0)
        {
            return new IntentOutcome(null, placement.Errors);
        }

        var now = clock.GetUtcNow();
        var view = current is null
            ? new IntentView(_id.Intent, spec, IntentStatus.InstallReq, null, null, null, 0, [], [new IntentTransition(now, null, IntentStatus.InstallReq, caller.Actor, spec.Title)], [], placement.Regions, caller.Actor, now, now, 0)
            : Move(current with { Spec = spec, Regions = placement.Regions }, IntentStatus.InstallReq, caller.Actor, "updated");
        await CancelPendingAsync();
        if (spec.Kind == IntentKind.Compliance)
        {
            await SettleComplianceAsync(caller, view, placement, IntentStatus.Compiling);
            return new IntentOutcome(state.State.Intent, []);
        }

        await SettleAsync(caller, view, placement, IntentStatus.Compiling, current is not null && !current.Installed.IsEmpty);
        return new IntentOutcome(state.State.Intent, []);
    }

    // Records the placement and installs it: a placed intent goes INSTALLING, then INSTALLED or PENDING_APPROVAL; one
    // without a path is FAILED (or CONFLICT) and its routes, if it had any, are removed.
    private async Task SettleAsync(Caller caller, IntentView view, IntentPlacement placement, IntentStatus via, bool reroute)
    {
        var compiled = placement.Compilation;
        var to = placement.Placed ? IntentStatus.Installing : placement.Conflict ? IntentStatus.Conflict : IntentStatus.Failed;
        var note = placement.Placed ? $"compiled: {string.Join(" > ", compiled?.Path?.Devices ?? [])}" : placement.Reason;
        note = placement.Cause is { } cause ? $"{cause}; {note}" : note;
        var from = view.Status;
        var next = Move(Move(view, via, caller.Actor, null), to, caller.Actor, note) with
        {
            Reason = placement.Placed ? null : placement.Reason,
            Path = placement.Placed ? compiled?.Path : null,
            Backup = placement.Placed ? compiled?.Backup : null,
            ReservedBps = placement.Placed ? compiled?.ReservedBps ?? 0 : 0,
        };
        await CommitAsync(next, from == IntentStatus.InstallReq && view.Version == 0 ? null : from, caller.Actor);
        await InstallAsync(caller, placement.Placed ? IntentRouting.Desired(compiled) : [], reroute, placement.Review);
    }

    // Asks the tenant's installer for the change that takes the devices from the routes the intent holds to the ones it
    // should; intents placed at the same moment share it.
    private async Task InstallAsync(Caller caller, ImmutableArray<IntentRoutes> desired, bool reroute, bool review = false)
    {
        var intent = state.State.Intent!;
        var install = await GrainFactory.GetGrain<IIntentInstallerGrain>(_id.Tenant)
            .InstallAsync(new IntentInstallRequest(new RouteMove(_id.Intent, intent.Installed, desired), intent.Spec.Title ?? _id.Intent, reroute, review));
        if (install.Change is { } change)
        {
            await ProposedAsync(change, desired, caller.Actor);
        }
        else if (install.Refusal is { } refusal)
        {
            var current = state.State.Intent!;
            var failed = Move(current, current.Status == IntentStatus.Withdrawing ? IntentStatus.Withdrawing : IntentStatus.Failed, caller.Actor, refusal) with { Reason = $"its change was refused: {refusal}" };
            await CommitAsync(failed, current.Status, caller.Actor);
        }
        else
        {
            await EndedAsync(state.State.Intent!, null, ChangeStatus.Applied, null, caller.Actor, desired);
        }
    }

    private async Task ProposedAsync(ChangeView change, ImmutableArray<IntentRoutes> desired, string actor, ComplianceRest rest = ComplianceRest.None)
    {
        var current = state.State.Intent!;
        var owned = current with { Changes = current.Changes.Add(change.Id) };
        if (change.Status.IsFinal())
        {
            await EndedAsync(owned, change.Id, change.Status, change.Failure, actor, desired);
            return;
        }

        var note = change.Status == ChangeStatus.Approved
            ? $"change {change.Id} is approved and waits to be executed"
            : $"change {change.Id} waits for approval: {change.ApprovalsNeeded}";
        var waiting = current.Status == IntentStatus.Withdrawing
            ? owned with { History = owned.History.Add(new IntentTransition(clock.GetUtcNow(), current.Status, current.Status, actor, note, change.Id)) }
            : Move(owned, IntentStatus.PendingApproval, actor, note, change.Id);
        await CommitAsync(waiting, current.Status, actor, s =>
        {
            s.PendingChange = change.Id;
            s.PendingRoutes = desired;
            s.Rest = rest;
        });
    }

    // How an owned change ended: applied, the intent holds the new routes (INSTALLED, or WITHDRAWN when it was withdrawing);
    // otherwise it keeps the routes it had and is FAILED with the change's reason.
    private async Task EndedAsync(IntentView current, string? change, ChangeStatus status, string? failure, string actor, ImmutableArray<IntentRoutes>? desired = null)
    {
        var routes = desired ?? state.State.PendingRoutes;
        IntentView next;
        if (status == ChangeStatus.Applied)
        {
            var to = current.Status == IntentStatus.Withdrawing ? IntentStatus.Withdrawn
                : current.Path is null && current.Spec.Kind != IntentKind.Compliance ? current.Status : IntentStatus.Installed;
            next = Move(current, to, actor, change is null ? "nothing to change on the devices" : $"change {change} applied", change) with { Installed = routes };
        }
        else
        {
            var reason = $"change {change} ended {status.ApiName()}{(failure is null ? "" : ": " + failure)}";
            next = Move(current, current.Status == IntentStatus.Withdrawing ? IntentStatus.Withdrawing : IntentStatus.Failed, actor, reason, change) with { Reason = reason };
        }

        await CommitAsync(next, current.Status, actor, s =>
        {
            s.PendingChange = null;
            s.PendingRoutes = [];
            s.Rest = ComplianceRest.None;
        });
    }

    // A change still waiting for an approver installs a path the intent no longer wants.
    private async Task CancelPendingAsync()
    {
        if (state.State.PendingChange is { } pending)
        {
            await GrainFactory.GetGrain<IChangeGrain>(new ChangeId(_id.Tenant, pending).ToString()).CancelAsync("superseded by the intent's new placement");
            state.State.PendingChange = null;
            state.State.Rest = ComplianceRest.None;
        }
    }

    private IntentView? Visible(Caller caller) =>
        state.State.Intent is { } intent && (caller.IsSystem || intent.Regions.All(caller.CanSeeRegion)) ? intent : null;

    private IntentOutcome NotFound() => IntentOutcome.Refuse("id", $"intent '{_id.Intent}' not found");

    private IntentView Move(IntentView intent, IntentStatus to, string actor, string? note, string? change = null)
    {
        var now = clock.GetUtcNow();
        return intent with { Status = to, History = intent.History.Add(new IntentTransition(now, intent.Status, to, actor, note, change)), UpdatedAt = now };
    }

    private Task CommitAsync(IntentView intent, IntentStatus? from, string actor, Action<IntentState>? also = null)
    {
        var now = clock.GetUtcNow();
        var regions = intent.Regions.IsDefaultOrEmpty ? [null] : intent.Regions.Select(r => (string?)r).ToArray();
        return _outbox.CommitAsync(
            version => regions.Select((r, n) => new EventDraft(
                TopologyEventType.IntentUpdated, "intent:" + _id.Intent, version, n, r, null, null, null, from?.ApiName(), intent.Status.ApiName(), now, actor)),
            s =>
            {
                s.Intent = intent with { Version = s.Version + 1 };
                also?.Invoke(s);
            });
    }

    private ProjectionWork ProjectionOf(IntentState s, bool allRows)
    {
        var i = s.Intent!;
        var devices = new SortedSet<string>(StringComparer.Ordinal);
        if (i.Spec.Connectivity is { } c)
        {
            devices.Add(c.A.Device);
            devices.Add(c.B.Device);
        }

        devices.UnionWith(i.Path?.Devices ?? []);
        devices.UnionWith(s.Selected.IsDefault ? [] : s.Selected);
        devices.UnionWith(i.Backup?.Devices ?? []);
        var row = new IntentRow(
            i.Id, i.Spec.Kind.ToString().ToUpperInvariant(), i.Status.ApiName(), i.Regions, [.. devices], i.CreatedAt, i.UpdatedAt, s.Version, IntentDocument.Serialize(i));
        return new ProjectionWork(_id.Tenant, s.Outbox, Intent: row);
    }
}
