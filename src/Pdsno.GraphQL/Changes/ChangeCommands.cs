using System.Collections.Immutable;
using System.Globalization;
using Orleans;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Mutations;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Changes;

/// <summary>
/// The governed-change mutations, free of GraphQL: devices are resolved as the caller names them (id, key or name,
/// within the caller's regions), then the change grain validates, decides and acts, and answers the change as it is.
/// </summary>
public sealed class ChangeCommands(IGrainFactory grains, TopologyReader reader)
{
    /// <summary>Proposes a new change.</summary>
    public async Task<CommandResult<ChangeView>> ProposeAsync(Caller caller, ProposeChangeInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var (proposal, errors) = await ProposalAsync(caller, input, ct);
        if (errors.Count > 0)
        {
            return new CommandResult<ChangeView>(null, errors);
        }

        if (input.Key is { } key && KeyPart.Problem(key, "key") is { } problem)
        {
            return CommandResult.Fail<ChangeView>(UserErrorCode.BadUserInput, problem, "input", "key");
        }

        var id = input.Key is { } chosen ? new ChangeId(caller.Tenant, chosen) : ChangeId.New(caller.Tenant);
        return Result(await grains.GetGrain<IChangeGrain>(id.ToString()).ProposeAsync(proposal!));
    }

    /// <summary>Replaces the proposal of a change not yet executing; its approvals are withdrawn.</summary>
    public async Task<CommandResult<ChangeView>> UpdateAsync(Caller caller, ProposeChangeInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var grain = Grain(caller, input.ChangeId ?? "");
        if (grain is null)
        {
            return NotFound(input.ChangeId ?? "");
        }

        var (proposal, errors) = await ProposalAsync(caller, input, ct);
        return errors.Count > 0 ? new CommandResult<ChangeView>(null, errors) : Result(await grain.UpdateAsync(proposal!));
    }

    /// <summary>Approves a change as the caller.</summary>
    public Task<CommandResult<ChangeView>> ApproveAsync(Caller caller, ChangeActionInput input) => ActAsync(caller, input, (g, comment) => g.ApproveAsync(comment));

    /// <summary>Rejects a change as the caller.</summary>
    public Task<CommandResult<ChangeView>> RejectAsync(Caller caller, ChangeActionInput input) => ActAsync(caller, input, (g, comment) => g.RejectAsync(comment));

    /// <summary>Acknowledges an emergency change.</summary>
    public Task<CommandResult<ChangeView>> AcknowledgeEmergencyAsync(Caller caller, ChangeActionInput input) => ActAsync(caller, input, (g, comment) => g.AcknowledgeEmergencyAsync(comment));

    /// <summary>Redeems the change's execution token and applies it.</summary>
    public Task<CommandResult<ChangeView>> ExecuteAsync(Caller caller, ChangeActionInput input) => ActAsync(caller, input, (g, _) => g.ExecuteAsync());

    /// <summary>Cancels a change before execution.</summary>
    public Task<CommandResult<ChangeView>> CancelAsync(Caller caller, ChangeActionInput input) => ActAsync(caller, input, (g, comment) => g.CancelAsync(comment));

    /// <summary>Sets the tenant's change rules; omitted values keep theirs.</summary>
    public async Task<CommandResult<GlobalPolicy>> SetChangePolicyAsync(Caller caller, SetChangePolicyInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var policy = grains.GetGrain<IGlobalPolicyGrain>(caller.Tenant);
        var current = (await policy.GetPolicyAsync()).Changes;
        var rules = new ChangePolicy(
            input.MediumRoles is null ? current.MediumRoles : [.. input.MediumRoles],
            input.HighRegionCount ?? current.HighRegionCount,
            input.HighDeviceCount ?? current.HighDeviceCount,
            input.MediumApprovals ?? current.MediumApprovals,
            input.HighApprovals ?? current.HighApprovals,
            input.EmergenciesPerHour ?? current.EmergenciesPerHour,
            input.TokenLifetimeSeconds is { } s ? TimeSpan.FromSeconds(s) : current.TokenLifetime,
            input.TargetTimeoutMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : current.TargetTimeout,
            input.MaxTargets ?? current.MaxTargets,
            input.IntentRoutesLow ?? current.IntentRoutesLow,
            input.ParallelTargets ?? current.ParallelTargets);
        try
        {
            return CommandResult.Ok(await policy.SetChangePolicyAsync(rules));
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<GlobalPolicy>(UserErrorCode.BadUserInput, ex.Message, "input");
        }
    }

    /// <summary>Proposes the change that brings a device back to an earlier config version.</summary>
    public async Task<CommandResult<ChangeView>> RestoreConfigAsync(Caller caller, RestoreConfigInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!DeviceRef.TryParse(input.DeviceId ?? "", out var reference))
        {
            return CommandResult.Fail<ChangeView>(UserErrorCode.BadUserInput, $"deviceId: '{input.DeviceId}' is not the id of a device", "input", "deviceId");
        }

        var match = await DeviceLookup.ResolveAsync(reader, caller, reference, ct);
        if (match.Problem("deviceId") is { } problem)
        {
            return CommandResult.Fail<ChangeView>(match.IsAmbiguous ? UserErrorCode.BadUserInput : UserErrorCode.NotFound, problem, "input", "deviceId");
        }

        var device = match.Device!;
        var label = $"{device.Region}/{device.Name}";
        if (await reader.ConfigVersionAsync(caller.Tenant, device.Key, input.Version, ct) is not { } version)
        {
            return CommandResult.Fail<ChangeView>(UserErrorCode.NotFound, $"version: device {label} has no config version {input.Version.ToString(CultureInfo.InvariantCulture)}", "input", "version");
        }

        var current = await grains.GetGrain<IDeviceGrain>(new DeviceId(caller.Tenant, device.Key).ToString()).GetConfigAsync();
        if (current is null)
        {
            return CommandResult.Fail<ChangeView>(UserErrorCode.NotFound, $"deviceId: device {label} has no config yet", "input", "deviceId");
        }

        var patch = ConfigPatch.Between(current.Intended, version.Config);
        if (patch.IsEmpty)
        {
            return CommandResult.Fail<ChangeView>(UserErrorCode.Conflict, $"version: device {label} runs config version {input.Version.ToString(CultureInfo.InvariantCulture)} already (its intended config is version {current.Version.ToString(CultureInfo.InvariantCulture)})", "input", "version");
        }

        var proposal = new ChangeProposal(
            input.Title ?? $"Restore {label} to config version {input.Version.ToString(CultureInfo.InvariantCulture)}",
            input.Reason ?? $"restores config version {input.Version.ToString(CultureInfo.InvariantCulture)}, applied {version.AppliedAt:O} by {version.Actor}",
            [new Abstractions.Changes.ChangeTargetInput(device.Key, patch)]);
        return Result(await grains.GetGrain<IChangeGrain>(ChangeId.New(caller.Tenant).ToString()).ProposeAsync(proposal));
    }

    /// <summary>The change grain of a change id as the caller gives it, or null when it is not a change id at all.</summary>
    private IChangeGrain? Grain(Caller caller, string id)
    {
        var key = GlobalId.TryDecode(id, out var type, out var decoded) ? (type == GlobalId.Change ? decoded : null) : id;
        return key is null || KeyPart.Problem(key, "changeId") is not null ? null : grains.GetGrain<IChangeGrain>(new ChangeId(caller.Tenant, key).ToString());
    }

    private async Task<CommandResult<ChangeView>> ActAsync(Caller caller, ChangeActionInput input, Func<IChangeGrain, string?, Task<ChangeOutcome>> act)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var grain = Grain(caller, input.ChangeId);
        return grain is null ? NotFound(input.ChangeId) : Result(await act(grain, input.Comment));
    }

    private async Task<(ChangeProposal? Proposal, IReadOnlyList<UserError> Errors)> ProposalAsync(Caller caller, ProposeChangeInput input, CancellationToken ct)
    {
        var targets = input.Targets ?? [];
        var errors = new List<UserError>();
        var references = new List<DeviceRef>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (!DeviceRef.TryParse(targets[i].DeviceId ?? "", out var reference))
            {
                errors.Add(new UserError(UserErrorCode.BadUserInput, $"targets[{i}].deviceId: '{targets[i].DeviceId}' is not the id of a device", ["input", "targets", Index(i), "deviceId"]));
            }

            references.Add(reference);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // A global id names the key itself: the change grain finds the device (or refuses it as not found, outside the
        // caller's regions included), so only names and plain keys need the read model.
        var named = references.Where(r => r.Name is not null).ToList();
        var matches = named.Count == 0 ? [] : await DeviceLookup.ResolveAsync(reader, caller, named, ct);
        var resolved = ImmutableArray.CreateBuilder<Abstractions.Changes.ChangeTargetInput>(targets.Count);
        for (int i = 0, m = 0; i < targets.Count; i++)
        {
            var key = references[i].Key;
            if (references[i].Name is not null)
            {
                var match = matches[m++];
                if (match.Problem($"targets[{i}].deviceId") is { } problem)
                {
                    errors.Add(new UserError(match.IsAmbiguous ? UserErrorCode.BadUserInput : UserErrorCode.NotFound, problem, ["input", "targets", Index(i), "deviceId"]));
                    continue;
                }

                key = match.Device!.Key;
            }

            resolved.Add(new Abstractions.Changes.ChangeTargetInput(key!, (targets[i].Patch ?? new ConfigPatchInput()).ToPatch()));
        }

        return errors.Count > 0 ? (null, errors) : (new ChangeProposal(input.Title ?? "", input.Reason, resolved.ToImmutable(), input.Emergency, input.Execute), []);
    }

    // A change proposed and then refused its execution comes back with the refusal.
    private static CommandResult<ChangeView> Result(ChangeOutcome outcome) =>
        new(outcome.Change, [.. outcome.Refusals.Select(r => new UserError(Code(r.Code), r.Message, r.Field))]);

    private static CommandResult<ChangeView> NotFound(string id) => CommandResult.Fail<ChangeView>(UserErrorCode.NotFound, $"change '{id}' not found", "input", "changeId");

    private static UserErrorCode Code(ChangeRefusalCode code) => code switch
    {
        ChangeRefusalCode.BadInput => UserErrorCode.BadUserInput,
        ChangeRefusalCode.NotFound => UserErrorCode.NotFound,
        ChangeRefusalCode.Conflict => UserErrorCode.Conflict,
        ChangeRefusalCode.Forbidden => UserErrorCode.Forbidden,
        ChangeRefusalCode.NotApproved => UserErrorCode.NotApproved,
        ChangeRefusalCode.TokenSpent => UserErrorCode.TokenSpent,
        ChangeRefusalCode.TokenExpired => UserErrorCode.TokenExpired,
        ChangeRefusalCode.EditedAfterApproval => UserErrorCode.EditedAfterApproval,
        ChangeRefusalCode.DeviceLocked => UserErrorCode.DeviceLocked,
        ChangeRefusalCode.RateLimited => UserErrorCode.RateLimited,
        _ => UserErrorCode.BadUserInput,
    };

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
}

/// <summary>GraphQL <c>ChangePayload</c>.</summary>
public sealed class ChangePayloadGraphType() : PayloadGraphType<ChangeView, ChangeGraphType>("ChangePayload", "change");
