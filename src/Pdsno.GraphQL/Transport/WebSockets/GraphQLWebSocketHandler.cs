using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>Accepts WebSocket requests on the GraphQL endpoint and runs one graphql-transport-ws connection each.</summary>
internal sealed class GraphQLWebSocketHandler(IOptions<GraphQLTransportOptions> options, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<GraphQLWebSocketHandler>();

    public async Task HandleAsync(HttpContext context, PathString endpointPath)
    {
        var supported = context.WebSockets.WebSocketRequestedProtocols.Contains(GraphQLWsProtocol.SubProtocol, StringComparer.Ordinal);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(supported ? GraphQLWsProtocol.SubProtocol : null);
        if (!supported)
        {
            // As the graphql-ws reference server does: accept, then close with 4406 so the client learns why.
            _logger.LogDebug("WebSocket on {Path} refused: subprotocol {SubProtocol} was not requested", endpointPath, GraphQLWsProtocol.SubProtocol);
            using var timeout = new CancellationTokenSource(GraphQLWsConnection.CloseTimeout);
            try
            {
                await socket.CloseAsync((WebSocketCloseStatus)GraphQLWsProtocol.SubprotocolNotAcceptable, "Subprotocol not acceptable", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                _logger.LogDebug(ex, "Client left before the close handshake completed");
            }

            return;
        }

        using var connection = new GraphQLWsConnection(socket, context, options.Value, loggerFactory.CreateLogger<GraphQLWsConnection>());
        await connection.RunAsync();
    }
}
