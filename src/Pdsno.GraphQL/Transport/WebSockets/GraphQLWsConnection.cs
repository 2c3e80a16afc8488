using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Security;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>
/// One graphql-transport-ws connection. A receive loop reads and dispatches client messages; a single write loop is
/// the only sender on the socket and drains a bounded queue, so event producers never wait on a slow client.
/// </summary>
internal sealed class GraphQLWsConnection : IDisposable
{
    /// <summary>How long a close handshake, or a send stuck behind a client that stopped reading, may take.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private const int ReceiveChunkBytes = 4 * 1024;

    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly GraphQLTransportOptions _options;
    private readonly ILogger _logger;
    private readonly IGraphQLTextSerializer _serializer;
    private readonly Channel<Outbound> _outbound;
    private readonly ConcurrentDictionary<string, GraphQLWsOperation> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationTokenSource _receiveAbort;
    private readonly CancellationTokenSource _sendAbort = new();
    private CloseRequest? _close;
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
        _outbound = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(options.OutboundBufferLimit)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        _receiveAbort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    }

    public async Task RunAsync()
    {
        using var scope = _logger.BeginScope("GraphQL WebSocket {ConnectionId}", _context.Connection.Id);
        var writer = WriteLoopAsync();
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
            RequestClose(WebSocketCloseStatus.NormalClosure, null);
            await _lifetime.CancelAsync();
            foreach (var operation in _operations.Values)
            {
                operation.TryFinish();
            }

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
        _sendAbort.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ReceiveChunkBytes);
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult received;
                var tooBig = false;
                do
                {
                    received = await _socket.ReceiveAsync(chunk.AsMemory(), _receiveAbort.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        // Either the client closes, or it answers our close: echo its code as RFC 6455 asks.
                        RequestClose(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _socket.CloseStatusDescription);
                        return;
                    }

                    if (message.Length + received.Count > _options.MaxRequestBodyBytes)
                    {
                        tooBig = true;
                    }
                    else
                    {
                        message.Write(chunk, 0, received.Count);
                    }
                }
                while (!received.EndOfMessage);

                if (Volatile.Read(ref _close) is not null)
                {
                    // Closing: wait for the client's close frame, ignore anything else.
                    continue;
                }

                if (tooBig)
                {
                    RequestClose(WebSocketCloseStatus.MessageTooBig, $"Message exceeds {_options.MaxRequestBodyBytes} bytes");
                }
                else if (received.MessageType != WebSocketMessageType.Text)
                {
                    RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: binary frames are not supported");
                }
                else
                {
                    await HandleMessageAsync(message.GetBuffer().AsMemory(0, (int)message.Length));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
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

                    Enqueue(new Outbound(GraphQLWsProtocol.Pong, null, payload?.Clone(), null));
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
                    else if (_operations.TryRemove(completedId, out var stopped) && stopped.TryFinish(byClient: true))
                    {
                        _logger.LogDebug("Operation {OperationId} completed by the client", completedId);
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

        Inputs? initPayload = null;
        if (payload is { } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: connection_init payload must be an object");
                return;
            }

            try
            {
                initPayload = _serializer.Deserialize<Inputs>(element.GetRawText());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: unreadable connection_init payload");
                return;
            }
        }

        try
        {
            var factory = _context.RequestServices.GetRequiredService<IPdsnoUserContextFactory>();
            _userContext = await factory.CreateAsync(_context, initPayload, _lifetime.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (Unavailability.IsUnavailable(ex))
        {
            // Not a refusal: the token could not be checked. 1013 is WebSocket's "try again later".
            _logger.LogWarning("GraphQL WebSocket connection_init not checked: the database is unavailable ({Reason})", ex.Message);
            RequestClose((WebSocketCloseStatus)1013, "The database is unavailable; retry");
            return;
        }
        catch (Exception ex)
        {
            _logger.LogInformation(ex, "GraphQL WebSocket connection_init rejected");
            RequestClose(GraphQLWsProtocol.Forbidden, "Forbidden");
            return;
        }

        if (Volatile.Read(ref _close) is not null)
        {
            return;
        }

        var quotas = _context.RequestServices.GetRequiredService<ConnectionQuotas>();
        _connectionSlot = quotas.TryOpenConnection(_userContext.Caller.TokenId);
        if (_connectionSlot is null)
        {
            RequestClose(WebSocketCloseStatus.PolicyViolation, $"Too many connections for this token (at most {quotas.MaxConnections})");
            return;
        }

        _acknowledged = true;
        Enqueue(new Outbound(GraphQLWsProtocol.ConnectionAck, null, null, null));
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

        if (_operations.ContainsKey(id))
        {
            RequestClose(GraphQLWsProtocol.SubscriberAlreadyExists, $"Subscriber for {id} already exists");
            return;
        }

        if (_operations.Count >= _options.MaxOperationsPerConnection)
        {
            _logger.LogDebug("Operation {OperationId} refused: {Limit} operations already running", id, _options.MaxOperationsPerConnection);
            Enqueue(new Outbound(GraphQLWsProtocol.Error, id,
                new ExecutionErrors { new ExecutionError($"Too many operations on this connection (at most {_options.MaxOperationsPerConnection} at once); complete one first.") { Code = "TOO_MANY_OPERATIONS" } },
                null));
            return;
        }

        // Only this loop adds, so the check above and this add cannot race.
        var operation = new GraphQLWsOperation(id, _lifetime.Token);
        _operations[id] = operation;
        _ = ExecuteAsync(operation, request!);
    }

    private async Task ExecuteAsync(GraphQLWsOperation operation, GraphQLRequest request)
    {
        try
        {
            var executer = _context.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>();
            var result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                DocumentId = request.DocumentId,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                UserContext = _userContext!.ForOperation(),
                User = _context.User,
                RequestServices = _context.RequestServices,
                CancellationToken = operation.Token,
            });

            if (!result.Executed)
            {
                // Parse or validation failure: the protocol's error message, payload = the GraphQL errors.
                Finish(operation, new Outbound(GraphQLWsProtocol.Error, operation.Id, result.Errors ?? [new ExecutionError("The operation could not be executed.")], operation));
            }
            else if (result.Streams is { Count: > 0 } streams)
            {
                var quotas = _context.RequestServices.GetRequiredService<ConnectionQuotas>();
                var slot = quotas.TryStartSubscription(_userContext!.Caller.TokenId);
                if (slot is null)
                {
                    Finish(operation, new Outbound(GraphQLWsProtocol.Error, operation.Id,
                        new ExecutionErrors { new ExecutionError($"Too many subscriptions for this token (at most {quotas.MaxSubscriptions} at once); complete one first.") { Code = "LIMIT_EXCEEDED" } },
                        operation));
                    return;
                }

                // The stream's producer starts here: it makes grain calls as this connection's caller.
                IDisposable subscription;
                using (CallerContext.Use(_userContext.Caller))
                {
                    subscription = streams.Values.First().Subscribe(new StreamObserver(this, operation));
                }

                operation.Attach(new Both(subscription, slot));
            }
            else
            {
                // A query, a mutation, or a subscription whose source stream failed: one next, then complete.
                Finish(operation, new Outbound(GraphQLWsProtocol.Next, operation.Id, result, operation), completes: true);
            }
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            _logger.LogDebug("Operation {OperationId} cancelled before it finished", operation.Id);
        }
        catch (Exception ex) when (Unavailability.IsUnavailable(ex))
        {
            _logger.LogWarning("Operation {OperationId} failed: the database is unavailable ({Reason})", operation.Id, ex.Message);
            Finish(operation, new Outbound(GraphQLWsProtocol.Error, operation.Id, new ExecutionErrors { PdsnoError.Unavailable() }, operation));
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Operation {OperationId} failed", operation.Id);
            Finish(operation, new Outbound(GraphQLWsProtocol.Error, operation.Id, new ExecutionErrors { new ExecutionError("Internal server error.") }, operation));
        }
    }

    /// <summary>Ends an operation from the server side: forget it first (so the id can be reused once the client sees the end), then send.</summary>
    private void Finish(GraphQLWsOperation operation, Outbound? last, bool completes = false)
    {
        _operations.TryRemove(KeyValuePair.Create(operation.Id, operation));
        if (!operation.TryFinish())
        {
            return;
        }

        if (last is { } message)
        {
            Enqueue(message);
        }

        if (completes)
        {
            Enqueue(new Outbound(GraphQLWsProtocol.Complete, operation.Id, null, operation));
        }
    }

    /// <summary>Queues a message without waiting; a full queue means the client cannot keep up and is disconnected.</summary>
    private void Enqueue(Outbound message)
    {
        if (_outbound.Writer.TryWrite(message) || Volatile.Read(ref _close) is not null)
        {
            return;
        }

        _logger.LogWarning("GraphQL WebSocket client is not reading; {Limit} messages queued, closing with {CloseCode}", _options.OutboundBufferLimit, GraphQLWsProtocol.TryAgainLater);
        RequestClose(GraphQLWsProtocol.TryAgainLater, "Outbound buffer full: client is not reading fast enough");
    }

    /// <summary>Starts closing (first request wins): stop all operations, send the close frame, and bound how long it may take.</summary>
    private void RequestClose(WebSocketCloseStatus status, string? reason) => RequestClose((int)status, reason);

    private void RequestClose(int code, string? reason)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(code, Truncate(reason)), null) is not null)
        {
            return;
        }

        _logger.LogDebug("Closing GraphQL WebSocket with {CloseCode} {CloseReason}", code, reason);
        _outbound.Writer.TryComplete();
        foreach (var operation in _operations.Values)
        {
            operation.TryFinish();
        }

        try
        {
            _sendAbort.CancelAfter(CloseTimeout);
            _receiveAbort.CancelAfter(CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            var reader = _outbound.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (Volatile.Read(ref _close) is null && reader.TryRead(out var message))
                {
                    if (message.Operation is { StoppedByClient: true })
                    {
                        continue;
                    }

                    var json = _serializer.Serialize(new OperationMessage { Type = message.Type, Id = message.Id, Payload = message.Payload });
                    await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, _sendAbort.Token);
                }

                if (Volatile.Read(ref _close) is not null)
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
                Enqueue(new Outbound(GraphQLWsProtocol.Ping, null, null, null));
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

    // A close reason is at most 123 UTF-8 bytes.
    private static string? Truncate(string? reason)
    {
        if (reason is null || Encoding.UTF8.GetByteCount(reason) <= 123)
        {
            return reason;
        }

        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > 120)
        {
            length--;
        }

        return string.Concat(reason.AsSpan(0, length), "...");
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                first.Dispose();
            }
            finally
            {
                second.Dispose();
            }
        }
    }

    private readonly record struct Outbound(string Type, string? Id, object? Payload, GraphQLWsOperation? Operation);

    private sealed record CloseRequest(int Code, string? Reason);

    /// <summary>Turns a subscription's event stream into next, error and complete messages.</summary>
    private sealed class StreamObserver(GraphQLWsConnection connection, GraphQLWsOperation operation) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            if (!operation.IsFinished)
            {
                connection.Enqueue(new Outbound(GraphQLWsProtocol.Next, operation.Id, value, operation));
            }
        }

        public void OnError(Exception error)
        {
            // The source stream failed and is over: the protocol's error message ends the operation.
            var executionError = error as ExecutionError ?? new ExecutionError("The event stream failed.");
            connection._logger.LogWarning(error, "Event stream of operation {OperationId} failed", operation.Id);
            connection.Finish(operation, new Outbound(GraphQLWsProtocol.Error, operation.Id, new ExecutionErrors { executionError }, operation));
        }

        public void OnCompleted() =>
            connection.Finish(operation, null, completes: true);
    }
}
