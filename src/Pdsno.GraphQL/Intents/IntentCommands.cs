using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Mutations;
using Pdsno.GraphQL.Relay;

namespace Pdsno.GraphQL.Intents;

/// <summary>
/// The intent mutations, free of GraphQL: the intent grain compiles (through the tenant's intent network), stores and
/// installs; bad input comes back as typed errors naming the field, with nothing stored.
/// </summary>
public sealed class IntentCommands(IGrainFactory grains)
{
    /// <summary>Creates an intent under the given key or a new one.</summary>
    public async Task<CommandResult<IntentView>> CreateAsync(Caller caller, IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Id.Length > 0 && KeyPart.Problem(spec.Id, "key") is { } problem)
        {
            return CommandResult.Fail<IntentView>(UserErrorCode.BadUserInput, "input." + problem, "input", "key");
        }

        var id = spec.Id.Length > 0 ? new IntentId(caller.Tenant, spec.Id) : IntentId.New(caller.Tenant);
        return Result(await grains.GetGrain<IIntentGrain>(id.ToString()).CreateAsync(spec with { Id = id.Intent }), "input.");
    }

    /// <summary>Replaces an intent's spec; it is compiled and installed again.</summary>
    public async Task<CommandResult<IntentView>> UpdateAsync(Caller caller, string intentId, IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Grain(caller, intentId) is { } grain ? Result(await grain.UpdateAsync(spec), "input.intent.") : NotFound(intentId);
    }

    /// <summary>Withdraws an intent: its reservations are freed and its routes removed through a change (a compliance intent leaves the config as it is).</summary>
    public async Task<CommandResult<IntentView>> WithdrawAsync(Caller caller, string intentId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Grain(caller, intentId) is { } grain ? Result(await grain.WithdrawAsync(), "input.") : NotFound(intentId);
    }

    private IIntentGrain? Grain(Caller caller, string intentId)
    {
        var key = GlobalId.KeyOf(intentId, GlobalId.Intent, "id");
        return KeyPart.Problem(key, "id") is null ? grains.GetGrain<IIntentGrain>(new IntentId(caller.Tenant, key).ToString()) : null;
    }

    private static CommandResult<IntentView> NotFound(string id) => CommandResult.Fail<IntentView>(UserErrorCode.NotFound, $"intent '{id}' not found", "input", "id");

    // Each error names its input path, as previewIntent's do.
    private static CommandResult<IntentView> Result(IntentOutcome outcome, string prefix)
    {
        var errors = outcome.Errors.IsDefault ? [] : outcome.Errors;
        return new CommandResult<IntentView>(outcome.Intent, [.. errors.Select(e => Error(e, prefix))]);
    }

    private static UserError Error(IntentInputError e, string prefix)
    {
        var field = e.Field == "id" ? "input.id" : prefix + IntentQueryFields.ApiField(e.Field);
        var code = e.Message.Contains("not found", StringComparison.Ordinal) ? UserErrorCode.NotFound
            : e.Message.Contains("exists already", StringComparison.Ordinal) || e.Message.Contains("withdrawn", StringComparison.Ordinal) ? UserErrorCode.Conflict
            : UserErrorCode.BadUserInput;
        return new UserError(code, $"{field}: {e.Message}", [.. field.Split('.')]);
    }
}
