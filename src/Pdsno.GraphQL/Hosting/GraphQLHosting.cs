using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Live;
using Pdsno.GraphQL.Transport;

namespace Pdsno.GraphQL.Hosting;

/// <summary>Who may reach <c>/graphql</c> and as which tenant, until API tokens exist (section <c>GraphQL</c>).</summary>
public sealed class GraphQLAccessOptions
{
    /// <summary>The tenant every caller acts for.</summary>
    public string Tenant { get; set; } = "default";

    /// <summary>Answer callers that are not on this machine's loopback; off until API tokens guard the API.</summary>
    public bool AllowRemote { get; set; }
}

/// <summary>The GraphQL API: schema, transport (HTTP and graphql-transport-ws), live event feed.</summary>
public static class GraphQLHosting
{
    /// <summary>Registers everything <c>/graphql</c> needs.</summary>
    public static IServiceCollection AddPdsnoGraphQL(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphQLAccessOptions>().BindConfiguration("GraphQL")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Tenant), "GraphQL:Tenant must not be empty")
            .ValidateOnStart();
        services.AddSingleton<IPdsnoUserContextFactory, ConfiguredTenantUserContextFactory>();
        services.AddSingleton<TopologySignals>();
        services.AddSingleton<EventFollower>();
        services.AddSingleton<Mutations.TopologyCommands>();
        services.AddPdsnoGraphQLSchema(configuration);
        services.AddPdsnoGraphQLTransport(configuration);
        return services;
    }

    /// <summary>Maps <c>/graphql</c> (queries, mutations, subscriptions and the IDE).</summary>
    public static WebApplication MapPdsnoGraphQL(this WebApplication app, string path = "/graphql")
    {
        var access = app.Services.GetRequiredService<IOptions<GraphQLAccessOptions>>().Value;
        if (!access.AllowRemote)
        {
            app.UseWhen(
                context => context.Request.Path.StartsWithSegments(path, StringComparison.Ordinal),
                branch => branch.Use(async (context, next) =>
                {
                    var remote = context.Connection.RemoteIpAddress;
                    if (remote is null || !IPAddress.IsLoopback(remote))
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        await context.Response.WriteAsync("the GraphQL API answers only on loopback until API tokens are configured (GraphQL:AllowRemote)");
                        return;
                    }

                    await next(context);
                }));
        }

        app.MapPdsnoGraphQLTransport(path);
        return app;
    }
}

/// <summary>Every caller acts for the configured tenant (single-tenant mode, before API tokens).</summary>
internal sealed class ConfiguredTenantUserContextFactory(IOptions<GraphQLAccessOptions> options) : IPdsnoUserContextFactory
{
    public ValueTask<PdsnoUserContext> CreateAsync(HttpContext httpContext, IReadOnlyDictionary<string, object?>? initPayload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PdsnoUserContext { Tenant = options.Value.Tenant });
}
