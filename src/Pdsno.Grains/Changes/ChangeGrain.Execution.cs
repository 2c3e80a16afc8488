using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Changes;

// Execution: redeem the token once, lock, apply step by step, roll back in reverse on failure, unlock (the last step's
// device unlocks with its apply).
public sealed partial class ChangeGrain
{
    // The device grain enforces the timeout through the driver; this is the grain's own bound on top of it.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<ChangeOutcome> ExecuteAsync()
    {
        var caller = CallerContext.Current ?? Caller.System;
        if (Visible(caller) is not { } current)
        {
            return NotFound();
        }

        if (Unredeemable(current) is { } refused)
        {
            return refused;
        }

        var token = current.Token!;
        var now = clock.GetUtcNow();
        if (now >= token.ExpiresAt)
        {
            await CommitAsync(Move(current, ChangeStatus.Expired, "system", $"execution token expired at {token.ExpiresAt:O}"), [(TopologyEventType.ChangeCompleted, current.Status, ChangeStatus.Expired)], caller.Actor);
            return ChangeOutcome.Refuse(ChangeRefusalCode.TokenExpired, $"the execution token expired at {token.ExpiresAt:O}; the change is now EXPIRED", "input", "changeId");
        }

        if (ChangeRules.TokenHash(current.Id, current.Targets) != token.Hash)
        {
            return ChangeOutcome.Refuse(ChangeRefusalCode.EditedAfterApproval, "the change differs from what was approved", "input", "changeId");
        }

        if (await RedeemAsync(current, caller, [], null) is { } notNow)
        {
            return notNow;
        }

        await RunAsync();
        return ChangeOutcome.Ok(state.State.Change!);
    }

    /// <inheritdoc />
    public async Task ResumeAsync(string? lockedDevice)
    {
        var change = state.State.Change;
        if (change?.Status is ChangeStatus.Executing or ChangeStatus.RollingBack)
        {
            logger.LogWarning("Change {Change} resumes its execution at step {Step} ({Status})", _id, state.State.Step, change.Status);
            await RunAsync();
            return;
        }

        // Locked, then the silo died before the redemption was stored (or the change was never stored): the lock goes back.
        if (lockedDevice is not null)
        {
            logger.LogWarning("Change {Change} gives back the lock of device {Device} it holds without executing", _id, lockedDevice);
            await Device(lockedDevice).UnlockAsync(_id.Change);
        }
    }

    /// <inheritdoc />
    /// <remarks>Executions stored by earlier versions registered a reminder; it resumes them once and is forgotten.</remarks>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await ResumeAsync(null);
        if (state.State.Change is { } change && (change.Status.IsFinal() || change.Status == ChangeStatus.Approved))
        {
            await UnlockAllAsync(change);
        }

        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    // Locks every target and checks that none moved since its diff, then stores the redemption (with whatever the
    // caller has to store with it) before any device is touched. Null when the change now executes.
    private async Task<ChangeOutcome?> RedeemAsync(ChangeView current, Caller caller, List<(TopologyEventType, ChangeStatus?, ChangeStatus)> events, Action<ChangeState>? also)
    {
        // One read of the policy for the whole redemption: how many devices are locked, and later applied, at once.
        var wave = current.Targets.Length > 1 ? Math.Min((await PolicyAsync()).ParallelTargets, current.Targets.Length) : 1;
        if (await LockAllAsync(current, wave) is { } locked)
        {
            return locked;
        }

        if (await MovedDeviceAsync(current) is { } moved)
        {
            await UnlockAllAsync(current);
            return moved;
        }

        // A silo that dies from here on leaves a change (or, before this commit, a lock) that the recovery sweep finds.
        var now = clock.GetUtcNow();
        var executing = Move(current, ChangeStatus.Executing, caller.Actor, "execution token redeemed") with
        {
            Token = current.Token! with { RedeemedAt = now, RedeemedBy = caller.Actor },
        };
        events.Add((TopologyEventType.ChangeExecuting, current.Status, ChangeStatus.Executing));
        await CommitAsync(executing, events, caller.Actor, s =>
        {
            also?.Invoke(s);
            s.Step = 0;
            s.Wave = wave;
        });
        return null;
    }

    private ChangeOutcome? Unredeemable(ChangeView current)
    {
        switch (current.Status)
        {
            case ChangeStatus.Approved when current.Token is not null:
                return null;
            case ChangeStatus.PendingApproval when state.State.EditedAfterApproval:
                return ChangeOutcome.Refuse(ChangeRefusalCode.EditedAfterApproval, $"the change was edited after approval, which withdrew its approvals and token; it needs {current.ApprovalsNeeded}", "input", "changeId");
            case ChangeStatus.PendingApproval:
                return ChangeOutcome.Refuse(ChangeRefusalCode.NotApproved, $"the change is not approved; it needs {current.ApprovalsNeeded}", "input", "changeId");
            case ChangeStatus.Expired:
                return ChangeOutcome.Refuse(ChangeRefusalCode.TokenExpired, $"the execution token expired at {current.Token?.ExpiresAt:O}", "input", "changeId");
            case ChangeStatus.Rejected or ChangeStatus.Cancelled:
                return ChangeOutcome.Refuse(ChangeRefusalCode.Conflict, $"the change is {Api(current.Status)}", "input", "changeId");
            default:
                return ChangeOutcome.Refuse(ChangeRefusalCode.TokenSpent, $"the execution token was redeemed at {current.Token?.RedeemedAt:O} by {current.Token?.RedeemedBy}; the change is {Api(current.Status)}", "input", "changeId");
        }
    }

    // In device order, a wave of devices at a time, so two executions meet their first common devices first; a device
    // held by another change refuses this one (no queueing) and the locks taken so far are given back.
    private async Task<ChangeOutcome?> LockAllAsync(ChangeView change, int width)
    {
        var ordered = change.Targets.OrderBy(t => t.Device, StringComparer.Ordinal).ToList();
        var taken = new List<ChangeTarget>();
        foreach (var wave in ordered.Chunk(width))
        {
            var holders = await Task.WhenAll(wave.Select(t => Device(t.Device).LockAsync(_id.Change)));
            var refused = -1;
            for (var i = 0; i < wave.Length; i++)
            {
                if (holders[i] is null || holders[i] == _id.Change)
                {
                    taken.Add(wave[i]);
                }
                else if (refused < 0)
                {
                    refused = i;
                }
            }

            if (refused >= 0)
            {
                await Task.WhenAll(taken.Select(t => Device(t.Device).UnlockAsync(_id.Change)));
                var target = wave[refused];
                return ChangeOutcome.Refuse(ChangeRefusalCode.DeviceLocked, $"device {target.Region}/{target.Name} is locked by change {holders[refused]}", "input", "changeId");
            }
        }

        return null;
    }

    // The approved diff describes the device as it was; a device whose intended config moved since then gets a new diff first.
    private async Task<ChangeOutcome?> MovedDeviceAsync(ChangeView change)
    {
        var views = await Task.WhenAll(change.Targets.Select(t => Device(t.Device).GetConfigAsync()));
        for (var i = 0; i < views.Length; i++)
        {
            if (views[i] is not { } view || !view.Intended.SameAs(BeforeOf(i, change.Targets[i])))
            {
                var t = change.Targets[i];
                return ChangeOutcome.Refuse(
                    ChangeRefusalCode.EditedAfterApproval,
                    $"device {t.Region}/{t.Name} changed since the change was approved (its config is now version {views[i]?.Version}); update the change to diff it again",
                    "input",
                    "changeId");
            }
        }

        return null;
    }

    private Task UnlockAllAsync(ChangeView change) => Task.WhenAll(change.Targets.Select(t => Device(t.Device).UnlockAsync(_id.Change)));

    // Applies the stored wave of targets at once; the next wave is durable before its devices are touched. A wave of one
    // target on the last step gives the lock back with its apply.
    private async Task RunAsync()
    {
        var policy = await PolicyAsync();
        var change = state.State.Change!;
        var actor = change.Token?.RedeemedBy ?? "system";
        var targets = change.Targets.ToBuilder();
        while (change.Status == ChangeStatus.Executing && state.State.Step < targets.Count)
        {
            var first = state.State.Step;
            var width = Math.Clamp(state.State.Wave, 1, targets.Count - first);
            var last = first + width == targets.Count;
            var release = last && width == 1;
            var outcomes = await Task.WhenAll(Enumerable.Range(first, width)
                .Select(i => ApplyAsync(targets[i], AfterOf(i, targets[i]), rollback: false, actor, policy.TargetTimeout, release)));
            for (var k = 0; k < width; k++)
            {
                targets[first + k] = targets[first + k] with { Result = Result(outcomes[k]) };
            }

            var failed = Array.FindIndex(outcomes, o => o.Status != ConfigApplyStatus.Applied);
            if (failed < 0 && last)
            {
                await FinishAsync(change with { Targets = targets.ToImmutable() }, ChangeStatus.Applied, actor, null, released: release ? targets[first].Device : null);
                return;
            }

            if (failed < 0)
            {
                var next = first + width;
                var wave = Math.Min(policy.ParallelTargets, targets.Count - next);
                await CommitAsync(change with { Targets = targets.ToImmutable() }, [], actor, s =>
                {
                    s.Step = next;
                    s.Wave = wave;
                });
            }
            else
            {
                var failure = $"{targets[first + failed].Region}/{targets[first + failed].Name}: {Describe(outcomes[failed])}";
                // Everything of this wave that may have changed is restored with what came before it.
                var changed = Array.FindLastIndex(outcomes, o => o.Status == ConfigApplyStatus.Applied || MayHaveChanged(o.Status));
                var from = first + changed;
                var rolling = Move(change with { Targets = targets.ToImmutable(), Failure = failure }, ChangeStatus.RollingBack, actor, failure);
                await CommitAsync(rolling, [(TopologyEventType.ChangeExecuting, ChangeStatus.Executing, ChangeStatus.RollingBack)], actor, s =>
                {
                    s.Step = from;
                    s.Wave = 0;
                });
            }

            change = state.State.Change!;
        }

        if (change.Status == ChangeStatus.Executing)
        {
            await FinishAsync(change, ChangeStatus.Applied, actor, null);
            return;
        }

        if (change.Status == ChangeStatus.RollingBack)
        {
            await RollBackAsync(change, actor, policy.TargetTimeout);
        }
    }

    // Restores every target from the persisted step down to the first, in reverse order. Applying the previous config
    // again is harmless, so a rollback resumed after a crash starts again from the same step.
    private async Task RollBackAsync(ChangeView change, string actor, TimeSpan timeout)
    {
        var targets = change.Targets.ToBuilder();
        var degraded = new List<string>();
        for (var j = Math.Min(state.State.Step, targets.Count - 1); j >= 0; j--)
        {
            if (targets[j].Result is { } result && !Restorable(result))
            {
                // Applied in the same wave as the target that failed, and refused or timed out itself: left to drift
                // detection, as a failed last target is.
                continue;
            }

            var outcome = await ApplyAsync(targets[j], BeforeOf(j, targets[j]), rollback: true, actor, timeout);
            targets[j] = targets[j] with { Rollback = Result(outcome) };
            if (outcome.Status != ConfigApplyStatus.Applied)
            {
                var reason = $"rollback of change {_id.Change} failed: {Describe(outcome)}";
                degraded.Add($"{targets[j].Region}/{targets[j].Name}");
                try
                {
                    await Device(targets[j].Device).MarkDegradedAsync(_id.Change, reason);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    logger.LogError(ex, "Change {Change} could not mark device {Device} DEGRADED", _id, targets[j].Device);
                }
            }
        }

        var final = degraded.Count == 0 ? ChangeStatus.FailedRolledBack : ChangeStatus.FailedDegraded;
        var note = degraded.Count == 0 ? "every applied target restored" : "restore failed on " + string.Join(", ", degraded) + "; marked DEGRADED";
        await FinishAsync(change with { Targets = targets.ToImmutable() }, final, actor, note);
    }

    // The device of the last step gave its lock back with that step; the others are unlocked here.
    private async Task FinishAsync(ChangeView change, ChangeStatus final, string actor, string? note, string? released = null)
    {
        await CommitAsync(Move(change, final, actor, note), [(TopologyEventType.ChangeCompleted, change.Status, final)], actor);
        await Task.WhenAll(change.Targets.Where(t => t.Device != released).Select(t => Device(t.Device).UnlockAsync(_id.Change)));
    }

    private async Task<ConfigApplyOutcome> ApplyAsync(ChangeTarget target, DeviceConfig desired, bool rollback, string actor, TimeSpan timeout, bool release = false)
    {
        try
        {
            return await Device(target.Device)
                .ApplyConfigAsync(new ConfigApplyRequest(_id.Change, desired, rollback, actor, timeout, release))
                .WaitAsync(timeout + Grace);
        }
        catch (TimeoutException)
        {
            return new ConfigApplyOutcome(ConfigApplyStatus.TimedOut, 0, null, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Change {Change} could not apply to device {Device}", _id, target.Device);
            return new ConfigApplyOutcome(ConfigApplyStatus.Failed, 0, null, ex.Message);
        }
    }

    // Only a read-back that differs shows the failed device changed; a refused or timed-out apply is left to drift
    // detection rather than restored by an apply that would most likely fail the same way and mark the device DEGRADED.
    private static bool MayHaveChanged(ConfigApplyStatus status) => status == ConfigApplyStatus.Mismatch;

    private static bool Restorable(ChangeTargetResult result) => result.Status is "APPLIED" or "MISMATCH";

    private ChangeTargetResult Result(ConfigApplyOutcome outcome) =>
        new(Api(outcome.Status), outcome.Message, outcome.Status == ConfigApplyStatus.Applied ? outcome.Version : null, clock.GetUtcNow());

    // As the target's result names the status (TIMED_OUT), with the driver's message.
    private static string Describe(ConfigApplyOutcome outcome) => Api(outcome.Status) + (outcome.Message is null ? "" : " - " + outcome.Message);

    private static string Api(ConfigApplyStatus status) => status == ConfigApplyStatus.TimedOut ? "TIMED_OUT" : status.ToString().ToUpperInvariant();

    private IDeviceGrain Device(string device) => GrainFactory.GetGrain<IDeviceGrain>(new DeviceId(_id.Tenant, device).ToString());
}
