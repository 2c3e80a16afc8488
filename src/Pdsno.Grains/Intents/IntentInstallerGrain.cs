using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Changes;

namespace Pdsno.Grains.Intents;

/// <summary>
/// One tenant's installer of intent routes (<see cref="IIntentInstallerGrain"/>). Requests queue while a change runs;
/// the next change carries every queued request its limits allow (the policy's most targets, the most routes one patch
/// may move), so a thousand intents placed together become a few changes that never meet each other in the device locks.
/// A step of a change stores its progress, not the targets' whole configs (those are written once with the plan), so a
/// change of hundreds of devices costs little more per step than one of a few.
/// </summary>
/// <remarks>
/// A change that carries several intents counts devices and regions per intent (<see cref="IntentTargets"/>), so batching
/// never raises a sensitivity. When it needs an approver anyway, it is cancelled and each intent gets a change of its own:
/// an approver approves one intent at a time, and an intent that is replaced cancels only its own change. A batch refused
/// for its content is split the same way, so one intent's bad routes do not fail the others.
/// </remarks>
[Reentrant]
[GrainType("intent-installer")]
public sealed partial class IntentInstallerGrain(ILogger<IntentInstallerGrain> logger) : Grain, IIntentInstallerGrain
{
    // A device held by a change an operator runs refuses ours; we try again after a short, growing pause.
    private const int Attempts = 40;

    private readonly List<Pending> _queue = [];
    private bool _draining;

    private string Tenant => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public Task<IntentInstall> InstallAsync(IntentInstallRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = new Pending(request, CallerContext.Current ?? Caller.System, new TaskCompletionSource<IntentInstall>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Add(pending);
        if (!_draining)
        {
            _draining = true;
            _ = DrainAsync();
        }

        return pending.Done.Task;
    }

    // Runs as PDSNO: it reads and cancels for every queued intent, whoever asked first.
    private async Task DrainAsync()
    {
        using var system = CallerContext.AsSystem();
        try
        {
            while (_queue.Count > 0)
            {
                var policy = (await GrainFactory.GetGrain<IGlobalPolicyGrain>(Tenant).GetPolicyAsync()).Changes;
                var batch = Take(policy.MaxTargets);
                try
                {
                    foreach (var group in batch.GroupBy(p => (p.Request.Reroute, p.Request.Review)))
                    {
                        // Proposals that wait for an approver get a change each from the start, as a batch would be split.
                        await (group.Key.Review ? EachAsync([.. group]) : InstallAsync([.. group]));
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    logger.LogError(ex, "Installing the routes of {Count} intents of tenant {Tenant} failed", batch.Count, Tenant);
                    foreach (var p in batch)
                    {
                        p.Done.TrySetResult(new IntentInstall(null, "its routes could not be installed: " + ex.Message));
                    }
                }
            }
        }
        finally
        {
            _draining = false;
        }
    }

    // The queued requests, in order, while their devices stay within the policy's most targets and no device's patch
    // would move more routes than one patch may.
    private List<Pending> Take(int maxTargets)
    {
        var devices = new Dictionary<string, int>(StringComparer.Ordinal);
        var taken = 0;
        foreach (var p in _queue)
        {
            var counts = Counts(p.Request.Move);
            var fits = counts.All(c => devices.GetValueOrDefault(c.Key) + c.Value <= ChangeValidation.MaxRoutes)
                && devices.Count + counts.Keys.Count(d => !devices.ContainsKey(d)) <= maxTargets;
            if (!fits && taken > 0)
            {
                break;
            }

            foreach (var (device, n) in counts)
            {
                devices[device] = devices.GetValueOrDefault(device) + n;
            }

            taken++;
        }

        var batch = _queue.GetRange(0, taken);
        _queue.RemoveRange(0, taken);
        return batch;
    }

    private static Dictionary<string, int> Counts(RouteMove move)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in (move.Held.IsDefault ? [] : move.Held).Concat(move.Desired.IsDefault ? [] : move.Desired))
        {
            counts[r.Device] = counts.GetValueOrDefault(r.Device) + r.Routes.Length;
        }

        return counts;
    }

    private async Task InstallAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            var moves = batch.Select(p => p.Request.Move).ToList();
            var current = await CurrentRoutesAsync(moves.SelectMany(m => IntentRouting.Devices(
                m.Held.IsDefault ? [] : m.Held, m.Desired.IsDefault ? [] : m.Desired)).Distinct(StringComparer.Ordinal));
            // A route an intent gives up stays where another intent installs it too (one prefix, one next hop).
            var givenUp = IntentRouting.GivenUp(moves);
            var shared = givenUp.IsEmpty
                ? []
                : await GrainFactory.GetGrain<IIntentNetworkGrain>(Tenant).WantedByOthersAsync([.. moves.Select(m => m.Intent)], givenUp);
            var (targets, shares) = IntentRouting.Merge(moves, current, shared);
            for (var i = batch.Count - 1; i >= 0; i--)
            {
                if (shares[i].Devices.IsEmpty)
                {
                    // The devices already hold what this intent wants.
                    batch[i].Done.TrySetResult(new IntentInstall(null, null));
                    batch.RemoveAt(i);
                }
            }

            if (batch.Count == 0 || targets.IsEmpty)
            {
                return;
            }

            var outcome = await ProposeAsync(batch, targets, [.. shares.Where(s => !s.Devices.IsEmpty)]);
            if (outcome.Change is { } view && (outcome.Refusals.IsDefaultOrEmpty || view.Status != ChangeStatus.Approved))
            {
                if (batch.Count > 1 && !view.Status.IsFinal())
                {
                    // It waits for an approver: one change per intent instead, so each is approved and replaced on its own.
                    await Change(view.Id).CancelAsync("intents that need approval get a change each");
                    await EachAsync(batch);
                    return;
                }

                foreach (var p in batch)
                {
                    p.Done.TrySetResult(new IntentInstall(view, null));
                }

                return;
            }

            // Approved but not run (another change holds a device), ours is cancelled and proposed again.
            var (refusal, locked) = await ChangeRetry.RefusedAsync(GrainFactory, Tenant, outcome);
            if (!locked && batch.Count > 1)
            {
                await EachAsync(batch);
                return;
            }

            if (!locked || attempt >= Attempts)
            {
                LogRefused(logger, Tenant, batch.Count, refusal);
                foreach (var p in batch)
                {
                    p.Done.TrySetResult(new IntentInstall(null, refusal));
                }

                return;
            }

            await ChangeRetry.PauseAsync(Math.Min(attempt, 10), 5, 50);
        }
    }

    private async Task EachAsync(List<Pending> batch)
    {
        foreach (var p in batch)
        {
            await InstallAsync([p]);
        }
    }

    // One intent's change is proposed as whoever asked for it, so the approval rules see the right proposer; a change
    // of several intents asked by several callers is PDSNO's own.
    private async Task<ChangeOutcome> ProposeAsync(List<Pending> batch, ImmutableArray<ChangeTargetInput> targets, ImmutableArray<IntentTargets> shares)
    {
        var one = batch.Count == 1 ? batch[0].Request : null;
        var title = one is not null
            ? $"intent {one.Move.Intent}: {(one.Move.Desired.IsDefaultOrEmpty ? "remove" : "install")} routes"
            : $"intents {string.Join(", ", batch.Take(5).Select(p => p.Request.Move.Intent))}{(batch.Count > 5 ? $" and {batch.Count - 5} more" : "")}: routes";
        var reason = one?.Title ?? $"{batch.Count} intents placed at the same moment";
        var caller = batch.Select(p => p.Caller.TokenId).Distinct(StringComparer.Ordinal).Count() == 1 ? batch[0].Caller : Caller.System;
        var proposal = new ChangeProposal(
            title, reason, targets, Execute: true, Intent: one?.Move.Intent, Reroute: batch.All(p => p.Request.Reroute), Intents: shares,
            Review: batch.Any(p => p.Request.Review));
        using var _ = CallerContext.Use(caller);
        return await Change(ChangeId.New(Tenant).Change).ProposeAsync(proposal);
    }

    private async Task<IReadOnlyDictionary<string, ImmutableArray<StaticRoute>>> CurrentRoutesAsync(IEnumerable<string> devices) =>
        (await DeviceConfigReads.ReadAsync(GrainFactory, Tenant, devices)).ToDictionary(
            r => r.Key, r => r.Value.Intended.Routes.IsDefault ? [] : r.Value.Intended.Routes, StringComparer.Ordinal);

    private IChangeGrain Change(string change) => GrainFactory.GetGrain<IChangeGrain>(new ChangeId(Tenant, change).ToString());

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change carrying {Count} intents of tenant {Tenant} was refused: {Refusal}")]
    private static partial void LogRefused(ILogger logger, string tenant, int count, string refusal);

    private sealed record Pending(IntentInstallRequest Request, Caller Caller, TaskCompletionSource<IntentInstall> Done);
}
