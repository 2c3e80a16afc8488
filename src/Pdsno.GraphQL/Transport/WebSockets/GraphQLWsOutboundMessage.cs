namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>A message waiting in a connection's outbox; <paramref name="Operation"/> lets the writer drop what the client already completed.</summary>
internal readonly record struct GraphQLWsOutboundMessage(string Type, string? Id, object? Payload, GraphQLWsOperation? Operation);
