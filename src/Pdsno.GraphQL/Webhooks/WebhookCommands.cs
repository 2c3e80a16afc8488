using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Mutations;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;
using Pdsno.Webhooks.Delivery;
using Pdsno.Webhooks.Hosting;
using Pdsno.Webhooks.Storage;

namespace Pdsno.GraphQL.Webhooks;

/// <summary>A new webhook and its secret, which is shown only in this answer.</summary>
public sealed record CreatedWebhook(WebhookRecord Webhook, string Secret);

/// <summary>
/// Webhook administration: validates input into typed errors naming the field, and keeps each caller to the webhooks
/// of its tenant whose regions it sees (a token limited to regions sees only webhooks limited to those regions).
/// </summary>
public sealed class WebhookCommands(WebhookStore store, TopologyReader reader, IOptions<WebhookOptions> options)
{
    /// <summary>The shortest secret a caller may choose.</summary>
    public const int MinSecretLength = 16;

    /// <summary>The longest secret a caller may choose.</summary>
    public const int MaxSecretLength = 256;

    /// <summary>The most events one batched request may carry.</summary>
    public const int MaxBatchEvents = 1000;

    /// <summary>The longest a batch may wait to fill.</summary>
    public const int MaxBatchDelayMs = 60_000;

    /// <summary>Validates and stores a webhook; its cursor starts at the tenant's latest event.</summary>
    public async Task<CommandResult<CreatedWebhook>> CreateAsync(Caller caller, CreateWebhookInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<UserError>();
        if (WebhookUrl.Problem(input.Url, out var url) is { } urlProblem)
        {
            errors.Add(Bad(urlProblem, "input", "url"));
        }
        else if (await WebhookUrl.AddressProblemAsync(url!, AddressPolicy.From(options.Value), cancellationToken) is { } refused)
        {
            errors.Add(Bad($"url is refused: {refused}", "input", "url"));
        }

        var types = new List<string>();
        foreach (var (type, i) in (input.EventTypes ?? []).Select((t, i) => (t, i)))
        {
            if (WebhookBody.ParseType(type) is null)
            {
                errors.Add(Bad($"eventTypes[{i}]: '{type}' is not an event type (e.g. DEVICE_STATUS_CHANGED, LINK_DOWN)", "input", "eventTypes", Index(i)));
            }
            else if (!types.Contains(type, StringComparer.Ordinal))
            {
                types.Add(type);
            }
        }

        var regions = new List<string>();
        foreach (var (regionId, i) in (input.RegionIds ?? []).Select((r, i) => (r, i)))
        {
            var region = Mutation.Key(regionId, GlobalId.Region);
            if (!caller.CanSeeRegion(region))
            {
                errors.Add(new UserError(UserErrorCode.Forbidden, $"regionIds[{i}]: region '{region}' is outside your token's regions", ["input", "regionIds", Index(i)]));
            }
            else if (await reader.GetRegionAsync(caller.Tenant, region, cancellationToken) is null)
            {
                errors.Add(new UserError(UserErrorCode.NotFound, $"regionIds[{i}]: region '{region}' not found", ["input", "regionIds", Index(i)]));
            }
            else if (!regions.Contains(region, StringComparer.Ordinal))
            {
                regions.Add(region);
            }
        }

        if (regions.Count == 0 && caller.IsRegionScoped)
        {
            // A token limited to regions makes webhooks limited to them.
            regions.AddRange(caller.Regions);
        }

        var maxEvents = input.Batch?.MaxEvents ?? 1;
        var maxDelay = input.Batch?.MaxDelayMs ?? 0;
        if (maxEvents is < 1 or > MaxBatchEvents)
        {
            errors.Add(Bad($"batch.maxEvents must be between 1 and {MaxBatchEvents} (got {maxEvents})", "input", "batch", "maxEvents"));
        }

        if (maxDelay is < 0 or > MaxBatchDelayMs)
        {
            errors.Add(Bad($"batch.maxDelayMs must be between 0 and {MaxBatchDelayMs} (got {maxDelay})", "input", "batch", "maxDelayMs"));
        }

        if (input.Secret is { } chosen && (chosen.Length < MinSecretLength || chosen.Length > MaxSecretLength || chosen.Any(char.IsControl)))
        {
            errors.Add(Bad($"secret must be {MinSecretLength} to {MaxSecretLength} characters without control characters (omit it to have one generated)", "input", "secret"));
        }

        if (errors.Count > 0)
        {
            return new CommandResult<CreatedWebhook>(null, errors);
        }

        var secret = input.Secret ?? WebhookSignature.NewSecret();
        var id = "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var created = await store.CreateAsync(caller.Tenant, id, new WebhookSpec(url!.AbsoluteUri, types, regions, maxEvents, maxDelay), secret, caller.Actor, options.Value.MaxWebhooksPerTenant, cancellationToken);
        return created is null
            ? CommandResult.Fail<CreatedWebhook>(UserErrorCode.Conflict, $"the tenant has {options.Value.MaxWebhooksPerTenant} webhooks, the most allowed (Webhooks:MaxWebhooksPerTenant); delete one first", "input")
            : CommandResult.Ok(new CreatedWebhook(created, secret));
    }

    /// <summary>The webhooks the caller sees, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookRecord>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return [.. (await store.ListAsync(caller.Tenant, cancellationToken)).Where(w => Sees(caller, w))];
    }

    /// <summary>One webhook the caller sees, or null.</summary>
    public async Task<WebhookRecord?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var webhook = await store.GetAsync(caller.Tenant, id, cancellationToken);
        return webhook is not null && Sees(caller, webhook) ? webhook : null;
    }

    /// <summary>Pauses a webhook.</summary>
    public Task<CommandResult<WebhookRecord>> PauseAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        ActAsync(caller, id, ct => store.PauseAsync(caller.Tenant, id, ct), cancellationToken);

    /// <summary>Resumes a paused or dead-lettered webhook from its cursor.</summary>
    public Task<CommandResult<WebhookRecord>> ResumeAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        ActAsync(caller, id, ct => store.ResumeAsync(caller.Tenant, id, ct), cancellationToken);

    /// <summary>Delivers again from <paramref name="fromSequence"/> and makes the webhook active.</summary>
    public Task<CommandResult<WebhookRecord>> RedeliverAsync(Caller caller, string id, long fromSequence, CancellationToken cancellationToken) =>
        fromSequence < 1
            ? Task.FromResult(CommandResult.Fail<WebhookRecord>(UserErrorCode.BadUserInput, $"fromSequence must be at least 1 (got {fromSequence})", "input", "fromSequence"))
            : ActAsync(caller, id, ct => store.RedeliverAsync(caller.Tenant, id, fromSequence, ct), cancellationToken);

    /// <summary>Deletes a webhook and its delivery history.</summary>
    public Task<CommandResult<WebhookRecord>> DeleteAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        ActAsync(
            caller,
            id,
            async ct =>
            {
                await store.DeleteAsync(caller.Tenant, id, ct);
                return null;
            },
            cancellationToken,
            deleting: true);

    private async Task<CommandResult<WebhookRecord>> ActAsync(Caller caller, string id, Func<CancellationToken, Task<WebhookRecord?>> act, CancellationToken cancellationToken, bool deleting = false)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } before)
        {
            return CommandResult.Fail<WebhookRecord>(UserErrorCode.NotFound, $"webhook '{id}' not found", "input", "webhookId");
        }

        var after = await act(cancellationToken);
        return deleting ? CommandResult.Ok(before) : after is null
            ? CommandResult.Fail<WebhookRecord>(UserErrorCode.NotFound, $"webhook '{id}' not found", "input", "webhookId")
            : CommandResult.Ok(after);
    }

    private static bool Sees(Caller caller, WebhookRecord webhook) =>
        !caller.IsRegionScoped || (webhook.Regions.Count > 0 && webhook.Regions.All(caller.CanSeeRegion));

    private static UserError Bad(string message, params string[] field) => new(UserErrorCode.BadUserInput, message, field);

    private static string Index(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
