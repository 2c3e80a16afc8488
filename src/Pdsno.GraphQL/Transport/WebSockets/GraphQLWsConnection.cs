using System.Net.WebSockets;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>
/// One graphql-transport-ws connection: the protocol state machine. A receive loop reads and dispatches client
/// messages; authentication, the running operations and the outgoing queue are each their own part.
/// </summary>
internal sealed class GraphQLWsConnection : IDisposable
{
    /// <summary>How long a close handshake, or a send stuck behind a client that stopped reading, may take.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly GraphQLTransportOptions _options;
    private readonly ILogger _logger;
    private readonly IGraphQLTextSerializer _serializer;
    private readonly GraphQLWsOutbox _outbox;
    private readonly GraphQLWsOperations _operations;
    private readonly GraphQLWsAuthenticator _authenticator;
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationTokenSource _receiveAbort;
    private int _initReceived;
    private volatile bool _acknowledged;
    private PdsnoUserContext? _userContext;
    private IDisposable? _connectionSlot;
    private Task _keepAlive = Task.CompletedTask;

    public GraphQLWsConnection(WebSocket socket, HttpContext context, GraphQLTransportOptions options, ILogger<GraphQLWsConnection> logger)
    {
        _socket = socket;
        _context = context;
        _options = options;
        _logger = logger;
        _serializer = context.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        _outbox = new GraphQLWsOutbox(socket, _serializer, options.OutboundBufferLimit, logger,
            () => RequestClose(GraphQLWsProtocol.TryAgainLater, "Outbound buffer full: client is not reading fast enough"));
        _operations = new GraphQLWsOperations(context, _outbox, options.MaxOperationsPerConnection, logger);
        _authenticator = new GraphQLWsAuthenticator(context, _serializer, logger);
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        _receiveAbort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    }

    public async Task RunAsync()
    {
        using var scope = _logger.BeginScope("GraphQL WebSocket {ConnectionId}", _context.Connection.Id);
        var writer = _outbox.WriteLoopAsync();
        var initTimeout = CloseIfNotAcknowledgedAsync();
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            _logger.LogDebug(ex, "GraphQL WebSocket connection ended without a close handshake");
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket receive loop failed");
            RequestClose(GraphQLWsProtocol.InternalServerError, "Internal server error");
        }
        finally
        {
            RequestClose((int)WebSocketCloseStatus.NormalClosure, null);
            await _lifetime.CancelAsync();
            _operations.Clear();
            _connectionSlot?.Dispose();
            await writer;
            await initTimeout;
            await _keepAlive;
        }
    }

    public void Dispose()
    {
        _lifetime.Dispose();
        _receiveAbort.Dispose();
        _outbox.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        using var receiver = new GraphQLWsReceiver(_socket, _options.MaxRequestBodyBytes);
        while (true)
        {
            var received = await receiver.ReceiveAsync(_receiveAbort.Token);
            if (received.Kind == GraphQLWsReceivedKind.Close)
            {
                // Either the client closes, or it answers our close: echo its code as RFC 6455 asks.
                RequestClose((int)(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), _socket.CloseStatusDescription);
                return;
            }

            if (_outbox.IsClosing)
            {
                // Closing: wait for the client's close frame, ignore anything else.
                continue;
            }

            switch (received.Kind)
            {
                case GraphQLWsReceivedKind.TooBig:
                    RequestClose((int)WebSocketCloseStatus.MessageTooBig, $"Message exceeds {_options.MaxRequestBodyBytes} bytes");
                    break;
                case GraphQLWsReceivedKind.Binary:
                    RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: binary frames are not supported");
                    break;
                default:
                    await HandleMessageAsync(received.Utf8);
                    break;
            }
        }
    }

    private async Task HandleMessageAsync(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: not JSON");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var typeElement)
                || typeElement.ValueKind != JsonValueKind.String)
            {
                RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: a message is an object with a string 'type'");
                return;
            }

            var payload = root.TryGetProperty("payload", out var payloadElement) && payloadElement.ValueKind != JsonValueKind.Null
                ? payloadElement
                : (JsonElement?)null;
            var type = typeElement.GetString();
            switch (type)
            {
                case GraphQLWsProtocol.ConnectionInit:
                    await InitializeAsync(payload);
                    break;
                case GraphQLWsProtocol.Ping:
                    if (payload is { ValueKind: not JsonValueKind.Object })
                    {
                        RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: ping payload must be an object");
                        break;
                    }

                    _outbox.Enqueue(new GraphQLWsOutboundMessage(GraphQLWsProtocol.Pong, null, payload?.Clone(), null));
                    break;
                case GraphQLWsProtocol.Pong:
                    // An answer to our keep-alive ping, or a unidirectional heartbeat: nothing to do.
                    break;
                case GraphQLWsProtocol.Subscribe:
                    Subscribe(root, payload);
                    break;
                case GraphQLWsProtocol.Complete:
                    if (!TryGetId(root, out var completedId))
                    {
                        RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: complete needs a non-empty string 'id'");
                    }
                    else
                    {
                        _operations.CompleteByClient(completedId);
                    }

                    break;
                default:
                    RequestClose(GraphQLWsProtocol.BadRequest, $"Invalid message received: unexpected type '{type}'");
                    break;
            }
        }
    }

    private async Task InitializeAsync(JsonElement? payload)
    {
        if (Interlocked.Exchange(ref _initReceived, 1) == 1)
        {
            RequestClose(GraphQLWsProtocol.TooManyInitialisationRequests, "Too many initialisation requests");
            return;
        }

        var (userContext, refusal) = await _authenticator.AuthenticateAsync(payload, _lifetime.Token);
        if (refusal is not null)
        {
            RequestClose(refusal.Code, refusal.Reason);
            return;
        }

        if (userContext is null || _outbox.IsClosing)
        {
            return;
        }

        _userContext = userContext;
        _connectionSlot = _authenticator.TryAdmit(userContext, out var overQuota);
        if (overQuota is not null)
        {
            RequestClose(overQuota.Code, overQuota.Reason);
            return;
        }

        _acknowledged = true;
        _outbox.Enqueue(new GraphQLWsOutboundMessage(GraphQLWsProtocol.ConnectionAck, null, null, null));
        if (_options.KeepAliveInterval is { } interval)
        {
            _keepAlive = SendKeepAlivePingsAsync(interval);
        }
    }

    private void Subscribe(JsonElement root, JsonElement? payload)
    {
        if (!TryGetId(root, out var id))
        {
            RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: subscribe needs a non-empty string 'id'");
            return;
        }

        if (payload is not { ValueKind: JsonValueKind.Object } requestElement
            || !(HasString(requestElement, "query") || HasString(requestElement, "documentId")))
        {
            RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: subscribe needs a payload with a string 'query'");
            return;
        }

        if (!_acknowledged)
        {
            RequestClose(GraphQLWsProtocol.Unauthorized, "Unauthorized");
            return;
        }

        GraphQLRequest? request;
        try
        {
            request = _serializer.Deserialize<GraphQLRequest>(requestElement.GetRawText());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: unreadable subscribe payload");
            return;
        }

        if (_operations.IsRunning(id))
        {
            RequestClose(GraphQLWsProtocol.SubscriberAlreadyExists, $"Subscriber for {id} already exists");
            return;
        }

        _operations.Start(id, request!, _userContext!, _lifetime.Token);
    }

    /// <summary>Starts closing (first request wins): stop all operations, send the close frame, and bound how long it may take.</summary>
    private void RequestClose(int code, string? reason)
    {
        if (!_outbox.TryClose(GraphQLWsClose.Create(code, reason), CloseTimeout))
        {
            return;
        }

        _logger.LogDebug("Closing GraphQL WebSocket with {CloseCode} {CloseReason}", code, reason);
        _operations.StopAll();
        try
        {
            _receiveAbort.CancelAfter(CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    private async Task CloseIfNotAcknowledgedAsync()
    {
        try
        {
            await Task.Delay(_options.ConnectionInitTimeout, _lifetime.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!_acknowledged)
        {
            RequestClose(GraphQLWsProtocol.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        }
    }

    private async Task SendKeepAlivePingsAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token))
            {
                _outbox.Enqueue(new GraphQLWsOutboundMessage(GraphQLWsProtocol.Ping, null, null, null));
            }
        }
        catch (OperationCanceledException)
        {
            // Connection over.
        }
    }

    private static bool TryGetId(JsonElement root, out string id)
    {
        id = root.TryGetProperty("id", out var element) && element.ValueKind == JsonValueKind.String ? element.GetString()! : string.Empty;
        return id.Length > 0;
    }

    private static bool HasString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;
}
