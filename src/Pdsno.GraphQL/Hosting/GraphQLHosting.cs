using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pdsno.GraphQL.Live;
using Pdsno.GraphQL.Security;
using Pdsno.GraphQL.Transport;

namespace Pdsno.GraphQL.Hosting;

/// <summary>The GraphQL API: schema, transport (HTTP and graphql-transport-ws), live event feed and its caller.</summary>
public static class GraphQLHosting
{
    /// <summary>
    /// Registers everything <c>/graphql</c> needs; the host provides <c>IAuditTrail</c>, the grain factory and token
    /// authentication (<c>AddPdsnoSecurity</c> of Pdsno.Security), whose caller GraphQL reads.
    /// </summary>
    public static IServiceCollection AddPdsnoGraphQL(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IPdsnoUserContextFactory, TokenUserContextFactory>();
        services.AddSingleton<TopologySignals>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Types.SimulatedPositions>();
        services.AddSingleton<EventTail>();
        services.AddSingleton<EventFollower>();
        services.AddSingleton<Mutations.TopologyCommands>();
        services.AddSingleton<Mutations.SandboxCommands>();
        services.AddSingleton<Mutations.SecurityCommands>();
        services.AddSingleton<Changes.ChangeCommands>();
        services.AddSingleton<Intents.IntentCommands>();
        services.AddSingleton<Webhooks.WebhookCommands>();
        services.AddSingleton<Pdsno.Webhooks.Delivery.ITenantWakeups, Webhooks.TopologyWakeups>();
        services.AddPdsnoGraphQLSchema(configuration);
        services.AddPdsnoGraphQLTransport(configuration);
        services.AddHostedService<GraphQLWarmUp>();
        return services;
    }

    /// <summary>Maps <c>/graphql</c> (queries, mutations, subscriptions and the IDE).</summary>
    public static WebApplication MapPdsnoGraphQL(this WebApplication app, string path = "/graphql")
    {
        app.MapPdsnoGraphQLTransport(path);
        return app;
    }
}
