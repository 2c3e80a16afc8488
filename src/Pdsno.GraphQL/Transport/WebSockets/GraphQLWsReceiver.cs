using System.Buffers;
using System.Net.WebSockets;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>
/// The incoming side of one connection: reassembles frames into whole messages, and stops keeping the bytes of a
/// message once it passes the size limit (the rest is still read, so the connection can close cleanly).
/// </summary>
internal sealed class GraphQLWsReceiver(WebSocket socket, long maxMessageBytes) : IDisposable
{
    private const int ReceiveChunkBytes = 4 * 1024;

    private readonly byte[] _chunk = ArrayPool<byte>.Shared.Rent(ReceiveChunkBytes);
    private readonly MemoryStream _message = new();

    /// <summary>The next whole message; the text stays valid until the next call.</summary>
    public async Task<GraphQLWsReceived> ReceiveAsync(CancellationToken cancellationToken)
    {
        _message.SetLength(0);
        ValueWebSocketReceiveResult received;
        var tooBig = false;
        do
        {
            received = await socket.ReceiveAsync(_chunk.AsMemory(), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return new GraphQLWsReceived(GraphQLWsReceivedKind.Close, default);
            }

            if (_message.Length + received.Count > maxMessageBytes)
            {
                tooBig = true;
            }
            else
            {
                _message.Write(_chunk, 0, received.Count);
            }
        }
        while (!received.EndOfMessage);

        if (tooBig)
        {
            return new GraphQLWsReceived(GraphQLWsReceivedKind.TooBig, default);
        }

        return received.MessageType == WebSocketMessageType.Text
            ? new GraphQLWsReceived(GraphQLWsReceivedKind.Text, _message.GetBuffer().AsMemory(0, (int)_message.Length))
            : new GraphQLWsReceived(GraphQLWsReceivedKind.Binary, default);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_chunk);
        _message.Dispose();
    }
}

/// <summary>What arrived: the client's close frame, a message over the limit, a binary message, or a text message.</summary>
internal enum GraphQLWsReceivedKind
{
    Close,
    TooBig,
    Binary,
    Text,
}

/// <summary>One received message; <paramref name="Utf8"/> is set for <see cref="GraphQLWsReceivedKind.Text"/> only.</summary>
internal readonly record struct GraphQLWsReceived(GraphQLWsReceivedKind Kind, ReadOnlyMemory<byte> Utf8);
