using GraphQL.Types;
using Pdsno.GraphQL.Mutations;
using Pdsno.Webhooks.Storage;

namespace Pdsno.GraphQL.Webhooks;

/// <summary>GraphQL <c>WebhookStatus</c>.</summary>
public sealed class WebhookStatusGraphType : EnumerationGraphType<WebhookStatus>
{
    /// <summary>Declares ACTIVE, PAUSED and DEAD_LETTER.</summary>
    public WebhookStatusGraphType()
    {
        Name = "WebhookStatus";
    }
}

/// <summary>GraphQL <c>Webhook</c>: never its secret.</summary>
public sealed class WebhookGraphType : ObjectGraphType<WebhookRecord>
{
    /// <summary>Declares the fields.</summary>
    public WebhookGraphType()
    {
        Name = "Webhook";
        Description = "Where PDSNO posts the tenant's events, signed, at least once and in sequence order.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(x => x.Url);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("eventTypes")
            .Description("The event types delivered; empty: every type.")
            .Resolve(c => c.Source.EventTypes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("regionIds")
            .Description("The regions whose events are delivered; empty: the whole tenant.")
            .Resolve(c => c.Source.Regions);
        Field<NonNullGraphType<WebhookBatchGraphType>>("batch").Resolve(c => c.Source);
        Field(x => x.Status, type: typeof(NonNullGraphType<WebhookStatusGraphType>));
        Field(x => x.DeliveredSequence, type: typeof(NonNullGraphType<LongGraphType>))
            .Description("The cursor: the sequence of the last event the receiver acknowledged (or the log's end when the webhook was created).");
        Field(x => x.FailedAttempts).Description("Failed attempts at the next request so far.");
        Field(x => x.NextAttemptAt, nullable: true).Description("When the next retry is due, while retrying.");
        Field(x => x.LastError, nullable: true).Description("Why the last attempt failed.");
        Field(x => x.CreatedAt);
    }
}

/// <summary>GraphQL <c>WebhookBatch</c>.</summary>
public sealed class WebhookBatchGraphType : ObjectGraphType<WebhookRecord>
{
    /// <summary>Declares the fields.</summary>
    public WebhookBatchGraphType()
    {
        Name = "WebhookBatch";
        Field(x => x.MaxEvents).Description("The most events one request carries.");
        Field(x => x.MaxDelayMs).Description("How long a request waits for more events before it goes with fewer.");
    }
}

/// <summary>GraphQL <c>WebhookDelivery</c>: one attempt.</summary>
public sealed class WebhookDeliveryGraphType : ObjectGraphType<WebhookDelivery>
{
    /// <summary>Declares the fields.</summary>
    public WebhookDeliveryGraphType()
    {
        Name = "WebhookDelivery";
        Field(x => x.FirstSequence, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.LastSequence, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.EventCount);
        Field(x => x.Attempt).Description("1 for the first attempt at these events, counting up with each retry.");
        Field(x => x.StatusCode, nullable: true).Description("The receiver's HTTP status, when it answered.");
        Field(x => x.Error, nullable: true).Description("What went wrong before an answer (refused address, connection failure, timeout).");
        Field(x => x.Succeeded);
        Field(x => x.StartedAt);
        Field(x => x.DurationMs);
    }
}

/// <summary>Input of <c>createWebhook</c>.</summary>
public sealed class CreateWebhookInput
{
    /// <summary>Where to post.</summary>
    public string Url { get; set; } = "";

    /// <summary>Event type names; null or empty: all.</summary>
    public List<string>? EventTypes { get; set; }

    /// <summary>Region ids; null or empty: the whole tenant (or the token's regions).</summary>
    public List<string>? RegionIds { get; set; }

    /// <summary>The signing secret; null: one is generated.</summary>
    public string? Secret { get; set; }

    /// <summary>Batching; null: one event per request.</summary>
    public WebhookBatchInput? Batch { get; set; }
}

/// <summary>Input of a webhook's batching.</summary>
public sealed class WebhookBatchInput
{
    /// <summary>The most events per request.</summary>
    public int? MaxEvents { get; set; }

    /// <summary>How long to wait for more events.</summary>
    public int? MaxDelayMs { get; set; }
}

/// <summary>GraphQL <c>CreateWebhookInput</c>.</summary>
public sealed class CreateWebhookInputGraphType : InputObjectGraphType<CreateWebhookInput>
{
    /// <summary>Declares the fields.</summary>
    public CreateWebhookInputGraphType()
    {
        Name = "CreateWebhookInput";
        Field(x => x.Url).Description("An http or https URL; it must not reach loopback or link-local addresses unless the server allows them.");
        Field(x => x.EventTypes, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("TopologyEventType names (e.g. LINK_DOWN); omitted: every type.");
        Field(x => x.RegionIds, type: typeof(ListGraphType<NonNullGraphType<IdGraphType>>)).Description("Only events of these regions; omitted: the whole tenant (a token limited to regions: its regions).");
        Field(x => x.Secret, nullable: true).Description("The signing secret, 16 to 256 characters; omitted: one is generated and returned once.");
        Field(x => x.Batch, type: typeof(WebhookBatchInputGraphType)).Description("Up to maxEvents events per request, waiting at most maxDelayMs for them; omitted: one event per request.");
    }
}

/// <summary>GraphQL <c>WebhookBatchInput</c>.</summary>
public sealed class WebhookBatchInputGraphType : InputObjectGraphType<WebhookBatchInput>
{
    /// <summary>Declares the fields.</summary>
    public WebhookBatchInputGraphType()
    {
        Name = "WebhookBatchInput";
        Field(x => x.MaxEvents, nullable: true).Description($"1 to {WebhookCommands.MaxBatchEvents} (default 1).");
        Field(x => x.MaxDelayMs, nullable: true).Description($"0 to {WebhookCommands.MaxBatchDelayMs} (default 0: send what is there).");
    }
}

/// <summary>Input naming a webhook.</summary>
public sealed class WebhookRefInput
{
    /// <summary>The webhook id.</summary>
    public string WebhookId { get; set; } = "";
}

/// <summary>GraphQL <c>WebhookRefInput</c>.</summary>
public sealed class WebhookRefInputGraphType : InputObjectGraphType<WebhookRefInput>
{
    /// <summary>Declares the fields.</summary>
    public WebhookRefInputGraphType()
    {
        Name = "WebhookRefInput";
        Field(x => x.WebhookId, type: typeof(NonNullGraphType<IdGraphType>));
    }
}

/// <summary>Input of <c>redeliverWebhook</c>.</summary>
public sealed class RedeliverWebhookInput
{
    /// <summary>The webhook id.</summary>
    public string WebhookId { get; set; } = "";

    /// <summary>The first sequence to deliver again.</summary>
    public long FromSequence { get; set; }
}

/// <summary>GraphQL <c>RedeliverWebhookInput</c>.</summary>
public sealed class RedeliverWebhookInputGraphType : InputObjectGraphType<RedeliverWebhookInput>
{
    /// <summary>Declares the fields.</summary>
    public RedeliverWebhookInputGraphType()
    {
        Name = "RedeliverWebhookInput";
        Field(x => x.WebhookId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.FromSequence, type: typeof(NonNullGraphType<LongGraphType>)).Description("Deliver again from this event sequence on (matching events only).");
    }
}

/// <summary>GraphQL <c>CreateWebhookPayload</c>: the webhook and its secret, shown this once.</summary>
public sealed class CreateWebhookPayloadGraphType : ObjectGraphType<CommandResult<CreatedWebhook>>
{
    /// <summary>Declares the fields.</summary>
    public CreateWebhookPayloadGraphType()
    {
        Name = "CreateWebhookPayload";
        Field<WebhookGraphType>("webhook").Resolve(c => c.Source.Value?.Webhook);
        Field<StringGraphType>("secret")
            .Description("The signing secret. Shown only now: keep it where the receiver verifies signatures.")
            .Resolve(c => c.Source.Value?.Secret);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Resolve(c => c.Source.Errors);
    }
}

/// <summary>GraphQL <c>WebhookPayload</c>.</summary>
public sealed class WebhookPayloadGraphType() : PayloadGraphType<WebhookRecord, WebhookGraphType>("WebhookPayload", "webhook");
