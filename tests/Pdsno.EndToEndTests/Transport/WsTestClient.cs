using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Pdsno.EndToEndTests.Transport;

/// <summary>A raw WebSocket client that speaks graphql-transport-ws message by message, so tests can also break the protocol.</summary>
public sealed class WsTestClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket;

    private WsTestClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<WsTestClient> ConnectAsync(Uri uri, string? subProtocol = "graphql-transport-ws")
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new WsTestClient(socket);
    }

    public static async Task<WsTestClient> ConnectAndInitAsync(Uri uri, object? payload = null)
    {
        var client = await ConnectAsync(uri);
        await client.SendAsync(new { type = "connection_init", payload });
        var ack = await client.ReceiveMessageAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
        return client;
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message; fails the test if the server closes instead.</summary>
    public async Task<JsonElement> ReceiveMessageAsync(TimeSpan? timeout = null)
    {
        var received = await ReceiveAsync(timeout);
        Assert.True(received.Message.HasValue, $"Expected a message but the server closed with {received.CloseStatus} '{received.CloseDescription}'.");
        return received.Message.Value;
    }

    /// <summary>Reads until the server closes, skipping messages; returns the close code and reason and how many messages came first.</summary>
    public async Task<(int? Code, string? Reason, int MessagesBefore)> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        var skipped = 0;
        while (true)
        {
            var received = await ReceiveAsync(timeout);
            if (!received.Message.HasValue)
            {
                return ((int?)received.CloseStatus, received.CloseDescription, skipped);
            }

            skipped++;
        }
    }

    public async Task<Received> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellation.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellation.Token);
                }

                return new Received(null, _socket.CloseStatus, _socket.CloseStatusDescription);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(message.ToArray());
                return new Received(document.RootElement.Clone(), null, null);
            }
        }
    }

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Either a message or the server's close.</summary>
    public readonly record struct Received(JsonElement? Message, WebSocketCloseStatus? CloseStatus, string? CloseDescription);
}
