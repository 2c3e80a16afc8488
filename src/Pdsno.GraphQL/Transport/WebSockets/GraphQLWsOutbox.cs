using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Transport;
using Microsoft.Extensions.Logging;
using Pdsno.GraphQL.Live;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>
/// The outgoing side of one connection: a bounded queue and the single writer that drains it. It is the only sender
/// on the socket, so event producers never wait on a slow client; a client that lets the queue fill is closed.
/// </summary>
internal sealed class GraphQLWsOutbox : IDisposable
{
    private static readonly JsonEncodedText IdProperty = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText PayloadProperty = JsonEncodedText.Encode("payload");

    private readonly WebSocket _socket;
    private readonly IGraphQLTextSerializer _serializer;
    private readonly ILogger _logger;
    private readonly int _limit;
    private readonly Action _slowConsumer;
    private readonly Channel<GraphQLWsOutboundMessage> _queue;
    private readonly CancellationTokenSource _sendAbort = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _envelope;
    private readonly Func<ExecutionResult, byte[]> _serializePayload;
    private GraphQLWsClose? _close;

    // slowConsumer is called once the queue is full: the connection decides how to close.
    public GraphQLWsOutbox(WebSocket socket, IGraphQLTextSerializer serializer, int limit, ILogger logger, Action slowConsumer)
    {
        _socket = socket;
        _serializer = serializer;
        _logger = logger;
        _limit = limit;
        _slowConsumer = slowConsumer;
        _envelope = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _serializePayload = result => Encoding.UTF8.GetBytes(serializer.Serialize(result));
        _queue = Channel.CreateBounded<GraphQLWsOutboundMessage>(new BoundedChannelOptions(limit)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>True once a close was requested: nothing more is sent but the close frame.</summary>
    public bool IsClosing => Volatile.Read(ref _close) is not null;

    /// <summary>Queues a message without waiting; a full queue means the client cannot keep up.</summary>
    public void Enqueue(GraphQLWsOutboundMessage message)
    {
        if (_queue.Writer.TryWrite(message) || IsClosing)
        {
            return;
        }

        _logger.LogWarning("GraphQL WebSocket client is not reading; {Limit} messages queued, closing with {CloseCode}", _limit, GraphQLWsProtocol.TryAgainLater);
        _slowConsumer();
    }

    /// <summary>Stops sending messages and sends the close frame instead; true for the first request, which wins.</summary>
    public bool TryClose(GraphQLWsClose close, TimeSpan timeout)
    {
        if (Interlocked.CompareExchange(ref _close, close, null) is not null)
        {
            return false;
        }

        _queue.Writer.TryComplete();
        try
        {
            // Bounds a send stuck behind a client that stopped reading, and the close frame itself.
            _sendAbort.CancelAfter(timeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }

        return true;
    }

    /// <summary>The single writer: sends queued messages until a close is requested, then the close frame.</summary>
    public async Task WriteLoopAsync()
    {
        try
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (!IsClosing && reader.TryRead(out var message))
                {
                    if (message.Operation is { StoppedByClient: true })
                    {
                        continue;
                    }

                    await _socket.SendAsync(Utf8(message), WebSocketMessageType.Text, endOfMessage: true, _sendAbort.Token);
                }

                if (IsClosing)
                {
                    break;
                }
            }

            if (Volatile.Read(ref _close) is { } close && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.Reason, _sendAbort.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "GraphQL WebSocket send abandoned");
            _socket.Abort();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket write loop failed");
            _socket.Abort();
        }
    }

    public void Dispose()
    {
        _sendAbort.Dispose();
        _envelope.Dispose();
    }

    // A result shared by a group of subscriptions was serialized once for all of them: only the envelope with this
    // operation's id is written here, around the same bytes.
    private ReadOnlyMemory<byte> Utf8(GraphQLWsOutboundMessage message)
    {
        if (message is not { Type: GraphQLWsProtocol.Next, Payload: SharedExecutionResult shared })
        {
            return Encoding.UTF8.GetBytes(_serializer.Serialize(new OperationMessage { Type = message.Type, Id = message.Id, Payload = message.Payload }));
        }

        var payload = shared.Utf8(_serializePayload);
        _buffer.ResetWrittenCount();
        _envelope.Reset(_buffer);
        _envelope.WriteStartObject();
        _envelope.WriteString(IdProperty, message.Id);
        _envelope.WriteString(TypeProperty, message.Type);
        _envelope.WritePropertyName(PayloadProperty);
        _envelope.WriteRawValue(payload, skipInputValidation: true);
        _envelope.WriteEndObject();
        _envelope.Flush();
        return _buffer.WrittenMemory;
    }
}
