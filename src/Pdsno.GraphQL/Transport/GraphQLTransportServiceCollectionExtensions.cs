using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Transport.Http;
using Pdsno.GraphQL.Transport.WebSockets;

namespace Pdsno.GraphQL.Transport;

/// <summary>Registers the GraphQL HTTP and graphql-transport-ws transport.</summary>
public static class GraphQLTransportServiceCollectionExtensions
{
    /// <summary>
    /// Adds the transport and binds <see cref="GraphQLTransportOptions"/> from "GraphQL:Transport", validated at start.
    /// The schema, executer and serializer come from <c>services.AddGraphQL(...)</c>; the user context from an
    /// <see cref="IPdsnoUserContextFactory"/> registered elsewhere.
    /// </summary>
    public static IServiceCollection AddPdsnoGraphQLTransport(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GraphQLTransportOptions>()
            .Bind(configuration.GetSection(GraphQLTransportOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphQLTransportOptions>, GraphQLTransportOptionsValidator>());
        services.TryAddSingleton<GraphQLHttpHandler>();
        services.TryAddSingleton<GraphQLWebSocketHandler>();
        services.TryAddSingleton<Security.ConnectionQuotas>();
        services.TryAddSingleton<Live.SubscriptionGroups>();

        // The WebSocket middleware must run before endpoints; a startup filter puts it at the front of the
        // pipeline so Program.cs only has to map the endpoint.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, WebSocketsStartupFilter>());
        return services;
    }

    private sealed class WebSocketsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWebSockets();
            next(app);
        };
    }
}
