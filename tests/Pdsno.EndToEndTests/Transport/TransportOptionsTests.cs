using System.Text.Json;

namespace Pdsno.EndToEndTests.Transport;

public sealed class TransportOptionsTests
{
    [Fact]
    public async Task Invalid_setting_stops_the_start_with_a_message_naming_the_key()
    {
        var host = new TransportHost(new Dictionary<string, string?>
        {
            ["GraphQL:Transport:OutboundBufferLimit"] = "0",
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);
        Assert.Contains("GraphQL:Transport:OutboundBufferLimit", error.Message, StringComparison.Ordinal);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Keep_alive_interval_makes_the_server_ping_acknowledged_connections()
    {
        var host = new TransportHost(new Dictionary<string, string?>
        {
            ["GraphQL:Transport:KeepAliveInterval"] = "00:00:00.200",
        });
        await host.InitializeAsync();
        try
        {
            await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
            var ping = await client.ReceiveMessageAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("ping", ping.GetProperty("type").GetString());
            await client.SendAsync(new { type = "pong" });

            await client.SubscribeAsync("q", "{ hello }");
            JsonElement next;
            do
            {
                next = await client.ReceiveMessageAsync();
            }
            while (next.GetProperty("type").GetString() == "ping");

            Assert.Equal("next", next.GetProperty("type").GetString());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
