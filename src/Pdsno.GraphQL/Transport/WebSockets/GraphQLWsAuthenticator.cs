using System.Net.WebSockets;
using System.Text.Json;
using GraphQL;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Security;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>
/// Turns a connection_init payload into the connection's caller, through the same user context factory the HTTP
/// transport uses, and admits the caller against its token's connection quota.
/// </summary>
internal sealed class GraphQLWsAuthenticator(HttpContext context, IGraphQLTextSerializer serializer, ILogger logger)
{
    /// <summary>The caller of <paramref name="payload"/>, or why the connection must close; neither when <paramref name="cancellationToken"/> ended it.</summary>
    public async Task<GraphQLWsAuthentication> AuthenticateAsync(JsonElement? payload, CancellationToken cancellationToken)
    {
        Inputs? initPayload = null;
        if (payload is { } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return Refuse(GraphQLWsProtocol.BadRequest, "Invalid message received: connection_init payload must be an object");
            }

            try
            {
                initPayload = serializer.Deserialize<Inputs>(element.GetRawText());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return Refuse(GraphQLWsProtocol.BadRequest, "Invalid message received: unreadable connection_init payload");
            }
        }

        try
        {
            var factory = context.RequestServices.GetRequiredService<IPdsnoUserContextFactory>();
            return new GraphQLWsAuthentication(await factory.CreateAsync(context, initPayload, cancellationToken), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new GraphQLWsAuthentication(null, null);
        }
        catch (Exception ex) when (Unavailability.IsUnavailable(ex))
        {
            // Not a refusal: the token could not be checked. 1013 is WebSocket's "try again later".
            logger.LogWarning("GraphQL WebSocket connection_init not checked: the database is unavailable ({Reason})", ex.Message);
            return Refuse(GraphQLWsProtocol.TryAgainLater, "The database is unavailable; retry");
        }
        catch (Exception ex)
        {
            logger.LogInformation(ex, "GraphQL WebSocket connection_init rejected");
            return Refuse(GraphQLWsProtocol.Forbidden, "Forbidden");
        }
    }

    /// <summary>Takes one of the token's connection slots (disposed when the connection ends), or says why not.</summary>
    public IDisposable? TryAdmit(PdsnoUserContext user, out GraphQLWsClose? refusal)
    {
        var quotas = context.RequestServices.GetRequiredService<ConnectionQuotas>();
        var slot = quotas.TryOpenConnection(user.Caller.TokenId);
        refusal = slot is null
            ? new GraphQLWsClose((int)WebSocketCloseStatus.PolicyViolation, $"Too many connections for this token (at most {quotas.MaxConnections})")
            : null;
        return slot;
    }

    private static GraphQLWsAuthentication Refuse(int code, string reason) => new(null, new GraphQLWsClose(code, reason));
}

/// <summary>The outcome of a connection_init: the caller's context, or the close that refuses it (neither when cancelled).</summary>
internal readonly record struct GraphQLWsAuthentication(PdsnoUserContext? UserContext, GraphQLWsClose? Refusal);
