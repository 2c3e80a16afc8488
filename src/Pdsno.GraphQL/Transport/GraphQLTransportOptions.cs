namespace Pdsno.GraphQL.Transport;

/// <summary>Limits of the GraphQL HTTP and WebSocket transport, bound from configuration section "GraphQL:Transport".</summary>
public sealed class GraphQLTransportOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "GraphQL:Transport";

    /// <summary>Largest accepted HTTP request body, and largest accepted WebSocket message, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a WebSocket client has to send connection_init before the server closes with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages a connection may have queued for sending before the server gives up on the client.</summary>
    public int OutboundBufferLimit { get; set; } = 1000;

    /// <summary>Operations (queries, mutations, subscriptions) one WebSocket connection may run at once.</summary>
    public int MaxOperationsPerConnection { get; set; } = 100;

    /// <summary>When set, the server sends a graphql-transport-ws ping at this interval once a connection is acknowledged.</summary>
    public TimeSpan? KeepAliveInterval { get; set; }
}
