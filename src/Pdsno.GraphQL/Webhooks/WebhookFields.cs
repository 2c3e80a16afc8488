using System.Globalization;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Security;
using Pdsno.Webhooks.Storage;

namespace Pdsno.GraphQL.Webhooks;

/// <summary>The webhook fields of the root types, for admins of the tenant (or of its regions).</summary>
public static class WebhookFields
{
    /// <summary>Adds createWebhook, pauseWebhook, resumeWebhook, deleteWebhook and redeliverWebhook.</summary>
    public static void AddMutations(ObjectGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<NonNullGraphType<CreateWebhookPayloadGraphType>>("createWebhook")
            .Requires(Roles.Admin)
            .Description("Creates a webhook that receives the tenant's events from now on; the signing secret is in the payload, shown this once.")
            .Argument<NonNullGraphType<CreateWebhookInputGraphType>>("input")
            .ResolveAsync(async c => await Commands(c).CreateAsync(c.Caller(), c.GetArgument<CreateWebhookInput>("input"), c.CancellationToken));

        mutation.Field<NonNullGraphType<WebhookPayloadGraphType>>("pauseWebhook")
            .Requires(Roles.Admin)
            .Description("Stops deliveries; events wait in the log from the webhook's cursor.")
            .Argument<NonNullGraphType<WebhookRefInputGraphType>>("input")
            .ResolveAsync(async c => await Commands(c).PauseAsync(c.Caller(), c.GetArgument<WebhookRefInput>("input").WebhookId, c.CancellationToken));

        mutation.Field<NonNullGraphType<WebhookPayloadGraphType>>("resumeWebhook")
            .Requires(Roles.Admin)
            .Description("Delivers again from the webhook's cursor (after a pause or DEAD_LETTER), with a fresh count of attempts.")
            .Argument<NonNullGraphType<WebhookRefInputGraphType>>("input")
            .ResolveAsync(async c => await Commands(c).ResumeAsync(c.Caller(), c.GetArgument<WebhookRefInput>("input").WebhookId, c.CancellationToken));

        mutation.Field<NonNullGraphType<WebhookPayloadGraphType>>("deleteWebhook")
            .Requires(Roles.Admin)
            .Description("Deletes a webhook and its delivery history; answers the webhook as it was.")
            .Argument<NonNullGraphType<WebhookRefInputGraphType>>("input")
            .ResolveAsync(async c => await Commands(c).DeleteAsync(c.Caller(), c.GetArgument<WebhookRefInput>("input").WebhookId, c.CancellationToken));

        mutation.Field<NonNullGraphType<WebhookPayloadGraphType>>("redeliverWebhook")
            .Requires(Roles.Admin)
            .Description("Moves the webhook's cursor back so its events from fromSequence on are delivered again, and makes it ACTIVE.")
            .Argument<NonNullGraphType<RedeliverWebhookInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RedeliverWebhookInput>("input");
                return await Commands(c).RedeliverAsync(c.Caller(), input.WebhookId, input.FromSequence, c.CancellationToken);
            });
    }

    /// <summary>Adds webhooks and webhookDeliveries.</summary>
    public static void AddQueries(ObjectGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookGraphType>>>>("webhooks")
            .Requires(Roles.Admin)
            .Description("Your tenant's webhooks, oldest first, without secrets; a token limited to regions sees those limited to its regions.")
            .ResolveAsync(async c => await Commands(c).ListAsync(c.Caller(), c.CancellationToken));

        query.Field<ConnectionGraphType<WebhookDeliveryGraphType, WebhookDelivery>>("webhookDeliveries")
            .Requires(Roles.Admin)
            .Description("A webhook's delivery attempts, oldest first: the sequences each carried and how the receiver answered; null with NOT_FOUND for a webhook you do not see.")
            .Argument<NonNullGraphType<IdGraphType>>("webhookId")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("webhookId");
                var webhook = await Commands(c).FindAsync(c.Caller(), id, c.CancellationToken) ?? throw PdsnoError.NotFound($"webhook '{id}' not found");
                var store = c.RequestServices!.GetRequiredService<WebhookStore>();
                return await Connections.PageAsync<WebhookDelivery>(
                    c, "webhook-delivery", d => d.Id.ToString(CultureInfo.InvariantCulture),
                    (page, ct) => store.ReadDeliveriesPageAsync(webhook.Tenant, webhook.Id, page, ct),
                    ct => store.CountDeliveriesAsync(webhook.Tenant, webhook.Id, ct),
                    Cursor.IsSequence);
            });
    }

    private static WebhookCommands Commands(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<WebhookCommands>();
}
