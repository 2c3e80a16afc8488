using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pdsno.IntegrationTests.Api;

/// <summary>A minimal graphql-transport-ws client for driving the real host.</summary>
internal sealed class GraphQLSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    /// <summary>Connects and initialises with <paramref name="token"/> in the connection_init payload.</summary>
    public static async Task<GraphQLSocket> ConnectAsync(int httpPort, string token)
    {
        var client = new GraphQLSocket();
        client._socket.Options.AddSubProtocol("graphql-transport-ws");
        await client._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/graphql"), CancellationToken.None);
        await client.SendAsync(new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = "Bearer " + token } });
        var ack = await client.ReceiveAsync(TimeSpan.FromSeconds(10));
        if (ack?["type"]?.GetValue<string>() != "connection_ack")
        {
            throw new InvalidOperationException("no connection_ack: " + ack?.ToJsonString());
        }

        return client;
    }

    public Task SubscribeAsync(string id, string query, JsonObject? variables = null) =>
        SendAsync(new JsonObject
        {
            ["id"] = id,
            ["type"] = "subscribe",
            ["payload"] = new JsonObject { ["query"] = query, ["variables"] = variables ?? new JsonObject() },
        });

    public async Task SendAsync(JsonObject message)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
    }

    /// <summary>The next message, or null if none arrives in time.</summary>
    public async Task<JsonNode?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return JsonNode.Parse(message.ToArray());
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Collects <c>next</c> payload data of operation <paramref name="id"/> until <paramref name="enough"/> or the timeout.</summary>
    public async Task<List<JsonNode>> CollectAsync(string id, Func<List<JsonNode>, bool> enough, TimeSpan timeout)
    {
        var items = new List<JsonNode>();
        var deadline = DateTime.UtcNow + timeout;
        while (!enough(items) && DateTime.UtcNow < deadline)
        {
            var message = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null)
            {
                break;
            }

            var type = message["type"]?.GetValue<string>();
            if (type == "ping")
            {
                await SendAsync(new JsonObject { ["type"] = "pong" });
                continue;
            }

            if (message["id"]?.GetValue<string>() != id)
            {
                continue;
            }

            if (type == "error")
            {
                throw new InvalidOperationException("subscription error: " + message.ToJsonString());
            }

            if (type == "next")
            {
                var payload = message["payload"]!;
                if (payload["errors"] is JsonArray errors && errors.Count > 0)
                {
                    throw new InvalidOperationException("errors in next: " + payload.ToJsonString());
                }

                items.Add(payload["data"]!);
            }
        }

        return items;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }

        _socket.Dispose();
    }
}

/// <summary>GraphQL over HTTP against the real host.</summary>
internal static class GraphQLHttp
{
    public static async Task<JsonNode> PostAsync(HttpClient http, string query, JsonObject? variables = null)
    {
        var body = new JsonObject { ["query"] = query, ["variables"] = variables ?? new JsonObject() };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text) ?? throw new InvalidOperationException("empty response");
        if (json["errors"] is JsonArray errors && errors.Count > 0)
        {
            throw new InvalidOperationException($"GraphQL errors ({(int)response.StatusCode}): {text}");
        }

        return json["data"]!;
    }

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
