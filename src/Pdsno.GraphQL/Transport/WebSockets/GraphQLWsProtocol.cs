namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>Names and close codes of the graphql-transport-ws protocol (graphql-ws PROTOCOL.md).</summary>
internal static class GraphQLWsProtocol
{
    public const string SubProtocol = "graphql-transport-ws";

    public const string ConnectionInit = "connection_init";
    public const string ConnectionAck = "connection_ack";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Subscribe = "subscribe";
    public const string Next = "next";
    public const string Error = "error";
    public const string Complete = "complete";

    /// <summary>A message the protocol does not allow: bad JSON, unknown type, missing id or payload.</summary>
    public const int BadRequest = 4400;

    /// <summary>subscribe before the connection was acknowledged.</summary>
    public const int Unauthorized = 4401;

    /// <summary>The server rejected the connection_init (the user context could not be built).</summary>
    public const int Forbidden = 4403;

    /// <summary>The client did not request the graphql-transport-ws subprotocol.</summary>
    public const int SubprotocolNotAcceptable = 4406;

    /// <summary>No connection_init was acknowledged within the configured timeout.</summary>
    public const int ConnectionInitialisationTimeout = 4408;

    /// <summary>subscribe with the id of an operation that is still running.</summary>
    public const int SubscriberAlreadyExists = 4409;

    /// <summary>A second connection_init.</summary>
    public const int TooManyInitialisationRequests = 4429;

    /// <summary>An unexpected failure in the server.</summary>
    public const int InternalServerError = 4500;

    /// <summary>
    /// The client reads slower than the server produces and its outbound buffer is full. The protocol's 44xx codes
    /// mean "the client broke the protocol", which it did not; RFC 6455's 1013 "Try Again Later" says the server ended
    /// the connection because of a temporary condition, and graphql-ws clients treat it as retryable (they reconnect
    /// and can resume subscriptions with <c>since</c>), which is what a lagging consumer should do.
    /// </summary>
    public const int TryAgainLater = 1013;
}
