using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.GraphQL.Ide;
using Pdsno.GraphQL.Transport.Http;
using Pdsno.GraphQL.Transport.WebSockets;

namespace Pdsno.GraphQL.Transport;

/// <summary>Maps the GraphQL endpoint (HTTP, graphql-transport-ws WebSocket and the GraphiQL IDE).</summary>
public static class GraphQLTransportEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves GraphQL over HTTP (GET and POST) and over WebSocket at <paramref name="path"/>, and GraphiQL to browsers
    /// at <paramref name="path"/> with its assets under <c>{path}/ide/</c>. Requires <c>AddPdsnoGraphQLTransport</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapPdsnoGraphQLTransport(this IEndpointRouteBuilder endpoints, string path = "/graphql")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"The GraphQL path must start with '/'; found '{path}'.", nameof(path));
        }

        var endpointPath = new PathString(path.TrimEnd('/'));
        var http = endpoints.ServiceProvider.GetService<GraphQLHttpHandler>();
        var webSockets = endpoints.ServiceProvider.GetService<GraphQLWebSocketHandler>();
        if (http is null || webSockets is null)
        {
            throw new InvalidOperationException("Call services.AddPdsnoGraphQLTransport(configuration) before app.MapPdsnoGraphQLTransport().");
        }

        var graphql = endpoints.Map(endpointPath.Value!, context => context.WebSockets.IsWebSocketRequest
            ? webSockets.HandleAsync(context, endpointPath)
            : http.HandleAsync(context, endpointPath))
            .WithDisplayName("GraphQL");

        var ide = endpoints.MapGet(endpointPath.Value + "/ide/{file}", context => GraphiQLAssets.WriteAsync(context, context.Request.RouteValues["file"] as string))
            .WithDisplayName("GraphiQL assets");

        return new CompositeConventionBuilder(graphql, ide);
    }

    private sealed class CompositeConventionBuilder(params IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
