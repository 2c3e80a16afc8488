using System.Collections.Immutable;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Changes;

namespace Pdsno.Grains.Intents;

// Compliance intents: installed as a governed change carrying the patches of the devices that do not comply yet (in
// parts of at most the policy's maxTargets devices), and kept true by remediation changes when a device joins the
// selector or drifts from it. Withdrawing one leaves the devices' config as it is: there is no sane undo of NTP servers
// or a location.
public sealed partial class IntentGrain
{
    // A device held by another change refuses ours; a few short tries before the intent says why it is FAILED.
    private const int ComplianceAttempts = 10;

    // Most devices judged in one page of Intent.compliance.
    private const int MaxCompliancePage = 500;

    // Remediation asked while a change of the intent is still open: checked again when that change ends.
    private bool _recheck;

    /// <inheritdoc />
    public async Task RemediateAsync(IntentPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (state.State.Intent is not { Spec.Kind: IntentKind.Compliance } current)
        {
            return;
        }

        if (state.State.PendingChange is not null || current.Status is IntentStatus.Installing or IntentStatus.Compiling)
        {
            _recheck = true;
            return;
        }

        if (current.Status != IntentStatus.Installed)
        {
            return;
        }

        using var system = CallerContext.AsSystem();
        await EnforceAsync(Caller.System, placement.Compilation, remediation: true);
    }

    /// <inheritdoc />
    public async Task<IntentCompliance?> ComplianceAsync(int first, string? after)
    {
        if (Visible(CallerContext.Current ?? Caller.System) is not { Spec.Kind: IntentKind.Compliance } current)
        {
            return null;
        }

        if (current.Status is IntentStatus.Withdrawn or IntentStatus.Withdrawing || await Network.CompiledAsync(_id.Intent) is not { } compiled)
        {
            return new IntentCompliance(0, [], false, null);
        }

        var selected = compiled.Patches.OrderBy(p => p.Device, StringComparer.Ordinal).ToList();
        var page = selected.Where(p => after is null || string.CompareOrdinal(p.Device, after) > 0).Take(Math.Clamp(first, 0, MaxCompliancePage) + 1).ToList();
        var more = page.Count > Math.Clamp(first, 0, MaxCompliancePage);
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var configs = await ConfigsAsync(page.Select(p => p.Device));
        var devices = page.Select(p => ComplianceCheck.Judge(p.Device, p.Patch, configs.GetValueOrDefault(p.Device))).ToImmutableArray();
        return new IntentCompliance(selected.Count, devices, more, page.Count == 0 ? null : page[^1].Device);
    }

    // A compiled compliance intent is CONFLICT (naming the other intent, nothing installed) or goes INSTALLING and
    // enforces its patches.
    private async Task SettleComplianceAsync(Caller caller, IntentView view, IntentPlacement placement, IntentStatus via)
    {
        var from = view.Status;
        var patches = placement.Compilation?.Patches.Length ?? 0;
        var to = placement.Conflict ? IntentStatus.Conflict : IntentStatus.Installing;
        var note = placement.Conflict ? placement.Reason : $"compiled: {patches} device{(patches == 1 ? "" : "s")} selected";
        var next = Move(Move(view, via, caller.Actor, null), to, caller.Actor, note) with
        {
            Reason = placement.Conflict ? placement.Reason : null,
            Regions = placement.Regions,
        };
        var selected = placement.Conflict ? [] : placement.Compilation?.Patches.Select(p => p.Device).ToImmutableArray() ?? [];
        await CommitAsync(next, from == IntentStatus.InstallReq && view.Version == 0 ? null : from, caller.Actor, s => s.Selected = selected);
        if (!placement.Conflict)
        {
            await EnforceAsync(caller, placement.Compilation, remediation: false);
        }
    }

    // Proposes one change owned by the intent carrying, for each selected device that does not comply, only what it
    // lacks. Installing runs it when the tenant's rules approve it at once; a remediation runs at once only when the
    // intent says autoRemediate (and the rules find it LOW), otherwise it waits for an approver or an operator. More
    // devices than one change may carry (the policy's maxTargets) go in parts, in device order: the next part is
    // proposed once the one before is applied, at once when it ran at once, or when its approver let it run.
    private async Task EnforceAsync(Caller caller, IntentCompilation? compiled, bool remediation)
    {
        _recheck = false;
        var current = state.State.Intent!;
        var spec = current.Spec.Compliance!;
        // Read once there is something to fix: most remediation checks find every device compliant.
        int? maxTargets = null;
        // Devices a part of this call carried already are not proposed again: a device that still differs after its
        // change is left to remediation, so the parts always end.
        var carried = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var (all, allReasons) = await RemediesAsync(compiled, carried);
            if (all.IsEmpty)
            {
                if (!remediation)
                {
                    await EndedAsync(state.State.Intent!, null, ChangeStatus.Applied, null, caller.Actor, []);
                }

                return;
            }

            maxTargets ??= (await GrainFactory.GetGrain<IGlobalPolicyGrain>(_id.Tenant).GetPolicyAsync()).Changes.MaxTargets;
            var targets = all.Length > maxTargets ? all[..maxTargets.Value] : all;
            var reasons = allReasons.Take(targets.Length).ToList();
            var rest = all.Length - targets.Length;
            var what = remediation ? "remediate" : "enforce";
            var proposal = new ChangeProposal(
                $"intent {_id.Intent}: {what} compliance on {targets.Length} device{(targets.Length == 1 ? "" : "s")}{(rest > 0 ? $" ({rest} more follow)" : "")}",
                Reason(current.Spec.Title ?? $"compliance intent {_id.Intent}", reasons),
                targets,
                Execute: !remediation || spec.AutoRemediate,
                Intent: _id.Intent);
            ChangeOutcome outcome;
            using (CallerContext.Use(caller))
            {
                outcome = await GrainFactory.GetGrain<IChangeGrain>(ChangeId.New(_id.Tenant).ToString()).ProposeAsync(proposal);
            }

            if (outcome.Change is { } change && outcome.Refusals.IsDefaultOrEmpty)
            {
                if (rest > 0 && change.Status == ChangeStatus.Applied)
                {
                    await PartAppliedAsync(change.Id, $"change {change.Id} applied; {rest} more device{(rest == 1 ? "" : "s")} follow in the next change", caller.Actor);
                    carried.UnionWith(targets.Select(t => t.Device));
                    attempt = 0;
                    continue;
                }

                await ProposedAsync(change, [], caller.Actor, rest == 0 ? ComplianceRest.None : remediation ? ComplianceRest.Remediate : ComplianceRest.Install);
                return;
            }

            var (refusal, locked) = await ChangeRetry.RefusedAsync(GrainFactory, _id.Tenant, outcome);
            if (!locked || attempt >= ComplianceAttempts)
            {
                var now = state.State.Intent!;
                var failed = Move(now, IntentStatus.Failed, caller.Actor, refusal) with { Reason = $"its change was refused: {refusal}" };
                await CommitAsync(failed, now.Status, caller.Actor);
                return;
            }

            await ChangeRetry.PauseAsync(attempt, 20, 100);
        }
    }

    // The targets a change must carry: each selected device that does not comply and is not disputed by another
    // compliance intent, with only what it lacks.
    private async Task<(ImmutableArray<ChangeTargetInput> Targets, List<DeviceCompliance> Reasons)> RemediesAsync(IntentCompilation? compiled, HashSet<string> carried)
    {
        if (compiled is null)
        {
            return ([], []);
        }

        var disputed = compiled.Conflicts.Select(c => c.Device).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var patches = compiled.Patches
            .Where(p => !disputed.Contains(p.Device) && !carried.Contains(p.Device) && !p.Patch.IsEmpty)
            .OrderBy(p => p.Device, StringComparer.Ordinal)
            .ToList();
        var configs = await ConfigsAsync(patches.Select(p => p.Device));
        var targets = ImmutableArray.CreateBuilder<ChangeTargetInput>();
        var reasons = new List<DeviceCompliance>();
        foreach (var p in patches)
        {
            if (configs.GetValueOrDefault(p.Device) is { } view && ComplianceCheck.RemedyFor(p.Patch, view) is { } remedy)
            {
                targets.Add(new ChangeTargetInput(p.Device, remedy));
                reasons.Add(ComplianceCheck.Judge(p.Device, p.Patch, view));
            }
        }

        return (targets.ToImmutable(), reasons);
    }

    // A part of the devices to fix is applied: the intent owns its change and says what follows.
    private Task PartAppliedAsync(string change, string note, string actor, IntentStatus? to = null)
    {
        var current = state.State.Intent!;
        var owned = current with { Changes = current.Changes.Contains(change) ? current.Changes : current.Changes.Add(change) };
        var next = to is { } status
            ? Move(owned, status, actor, note, change)
            : owned with { History = owned.History.Add(new IntentTransition(clock.GetUtcNow(), current.Status, current.Status, actor, note, change)) };
        return CommitAsync(next, current.Status, actor, s =>
        {
            s.PendingChange = null;
            s.Rest = ComplianceRest.None;
        });
    }

    // The change that carried a part of the devices to fix is applied, after an approver: the next part follows, as
    // installation (INSTALLING again) or as remediation (INSTALLED until the next part waits for its approver).
    private async Task NextPartAsync(string change, ComplianceRest rest)
    {
        var to = rest == ComplianceRest.Install ? IntentStatus.Installing : IntentStatus.Installed;
        await PartAppliedAsync(change, $"change {change} applied; the devices it did not carry follow", "system", to);
        using var system = CallerContext.AsSystem();
        await EnforceAsync(Caller.System, await Network.CompiledAsync(_id.Intent), remediation: rest == ComplianceRest.Remediate);
    }

    // The change says why, device by device, for the approver and the audit trail; a long list is cut at the change's limit.
    private static string Reason(string title, List<DeviceCompliance> devices)
    {
        var why = $"{title}; not compliant: {string.Join("; ", devices.Select(d => $"{d.Device} ({string.Join(", ", d.Reasons)})"))}";
        return why.Length <= ChangeValidation.MaxReason ? why : why[..(ChangeValidation.MaxReason - 1)] + "…";
    }

    private async Task<Dictionary<string, DeviceConfigView>> ConfigsAsync(IEnumerable<string> devices)
    {
        using var system = CallerContext.AsSystem();
        return await DeviceConfigReads.ReadAsync(GrainFactory, _id.Tenant, devices);
    }

    // A change of the intent ended while a remediation was asked: the devices are checked again, now that it is over.
    private async Task RecheckAsync()
    {
        if (!_recheck || state.State.Intent is not { Spec.Kind: IntentKind.Compliance, Status: IntentStatus.Installed })
        {
            return;
        }

        using var system = CallerContext.AsSystem();
        await EnforceAsync(Caller.System, await Network.CompiledAsync(_id.Intent), remediation: true);
    }
}
