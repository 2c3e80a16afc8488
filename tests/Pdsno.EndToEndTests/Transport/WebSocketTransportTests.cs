using System.Text.Json;

namespace Pdsno.EndToEndTests.Transport;

[Collection(TransportTests.Name)]
public sealed class WebSocketTransportTests(TransportHost host)
{
    private const string EventsSubscription = "subscription ($topic: String!) { events(topic: $topic) }";

    [Fact]
    public async Task Connection_is_acknowledged_with_the_graphql_transport_ws_subprotocol()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);

        Assert.Equal("graphql-transport-ws", client.SubProtocol);
    }

    [Fact]
    public async Task Without_the_subprotocol_the_server_closes_with_4406()
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri, subProtocol: null);

        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4406, code);
        Assert.Equal("Subprotocol not acceptable", reason);
    }

    [Fact]
    public async Task Init_payload_reaches_the_user_context_factory()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri, new { tenant = "from-init" });

        await client.SubscribeAsync("q", "{ tenant }");
        var next = await client.ReceiveMessageAsync();
        Assert.Equal("next", Type(next));
        Assert.Equal("from-init", next.GetProperty("payload").GetProperty("data").GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task Rejected_init_closes_with_4403()
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri);
        await client.SendAsync(new { type = "connection_init", payload = new { reject = true } });

        var (code, reason, before) = await client.ReceiveCloseAsync();
        Assert.Equal(4403, code);
        Assert.Equal("Forbidden", reason);
        Assert.Equal(0, before);
    }

    [Fact]
    public async Task No_init_within_the_timeout_closes_with_4408()
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri);

        var started = DateTime.UtcNow;
        var (code, reason, _) = await client.ReceiveCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4408, code);
        Assert.Equal("Connection initialisation timeout", reason);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Second_init_closes_with_4429()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SendAsync(new { type = "connection_init" });

        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4429, code);
        Assert.Equal("Too many initialisation requests", reason);
    }

    [Fact]
    public async Task Subscribe_before_ack_closes_with_4401()
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri);
        await client.SubscribeAsync("1", "{ hello }");

        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4401, code);
        Assert.Equal("Unauthorized", reason);
    }

    [Fact]
    public async Task Duplicate_active_operation_id_closes_with_4409()
    {
        var topic = NewTopic();
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SubscribeAsync("dup", EventsSubscription, new { topic });
        await host.Feed.WaitForSubscribersAsync(topic, 1);
        await client.SubscribeAsync("dup", EventsSubscription, new { topic });

        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4409, code);
        Assert.Equal("Subscriber for dup already exists", reason);
        await host.Feed.WaitForSubscribersAsync(topic, 0);
    }

    [Fact]
    public async Task Every_operation_of_a_connection_gets_loaders_of_its_own()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        // A subscription stays open on the connection while the queries run.
        await client.SubscribeAsync("live", EventsSubscription, new { topic = "loaders-" + Guid.NewGuid() });
        var seen = new List<int>();
        for (var round = 0; round < 3; round++)
        {
            await client.SubscribeAsync("q" + round, "{ a: loaders b: loaders }");
            var next = await client.ReceiveMessageAsync();
            Assert.Equal("next", Type(next));
            var data = next.GetProperty("payload").GetProperty("data");
            // One operation shares its loaders among its fields...
            Assert.Equal(data.GetProperty("a").GetInt32(), data.GetProperty("b").GetInt32());
            seen.Add(data.GetProperty("a").GetInt32());
            Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
        }

        // ...and no operation reuses another's (their caches would grow for the connection's life and serve stale rows).
        Assert.Equal(3, seen.Distinct().Count());
    }

    [Fact]
    public async Task Id_of_a_finished_operation_can_be_reused()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        for (var round = 0; round < 3; round++)
        {
            await client.SubscribeAsync("same", "{ hello }");
            Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
            Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
        }
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "type")]
    [InlineData("""{"payload":{}}""", "type")]
    [InlineData("""{"type":"bogus"}""", "bogus")]
    [InlineData("""{"type":"next","id":"1","payload":{}}""", "next")]
    [InlineData("""{"type":"subscribe","payload":{"query":"{ hello }"}}""", "id")]
    [InlineData("""{"type":"subscribe","id":"","payload":{"query":"{ hello }"}}""", "id")]
    [InlineData("""{"type":"subscribe","id":"1"}""", "payload")]
    [InlineData("""{"type":"subscribe","id":"1","payload":{"variables":{}}}""", "query")]
    [InlineData("""{"type":"complete"}""", "id")]
    public async Task Invalid_message_closes_with_4400_and_a_reason(string message, string reasonMentions)
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SendRawAsync(message);

        var (code, reason, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4400, code);
        Assert.Contains(reasonMentions, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_init_payload_closes_with_4400()
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri);
        await client.SendRawAsync("""{"type":"connection_init","payload":"token"}""");

        var (code, _, _) = await client.ReceiveCloseAsync();
        Assert.Equal(4400, code);
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_before_and_after_init_and_pong_is_ignored()
    {
        await using var client = await WsTestClient.ConnectAsync(host.WebSocketUri);
        await client.SendAsync(new { type = "ping" });
        var pong = await client.ReceiveMessageAsync();
        Assert.Equal("pong", Type(pong));

        await client.SendAsync(new { type = "connection_init" });
        Assert.Equal("connection_ack", Type(await client.ReceiveMessageAsync()));
        await client.SendAsync(new { type = "pong" });
        await client.SendAsync(new { type = "ping", payload = new { seq = 7 } });
        pong = await client.ReceiveMessageAsync();
        Assert.Equal("pong", Type(pong));
        Assert.Equal(7, pong.GetProperty("payload").GetProperty("seq").GetInt32());
    }

    [Fact]
    public async Task Query_and_mutation_over_the_socket_send_one_next_then_complete()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);

        await client.SubscribeAsync("q1", "{ hello }");
        var next = await client.ReceiveMessageAsync();
        Assert.Equal("next", Type(next));
        Assert.Equal("q1", next.GetProperty("id").GetString());
        Assert.Equal("world", next.GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
        var complete = await client.ReceiveMessageAsync();
        Assert.Equal("complete", Type(complete));
        Assert.Equal("q1", complete.GetProperty("id").GetString());

        await client.SubscribeAsync("m1", "mutation ($t: String!) { shout(text: $t) }", new { t = "loud" });
        next = await client.ReceiveMessageAsync();
        Assert.Equal("LOUD", next.GetProperty("payload").GetProperty("data").GetProperty("shout").GetString());
        Assert.Equal("complete", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Operation_failing_validation_gets_an_error_message_with_graphql_errors()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);

        await client.SubscribeAsync("bad", "{ doesNotExist }");
        var error = await client.ReceiveMessageAsync();
        Assert.Equal("error", Type(error));
        Assert.Equal("bad", error.GetProperty("id").GetString());
        var errors = error.GetProperty("payload");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.Contains("doesNotExist", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // The connection stays usable, and the failed id is free again.
        await client.SubscribeAsync("bad", "{ hello }");
        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Subscription_streams_next_per_event_and_completes_when_the_stream_ends()
    {
        var topic = NewTopic();
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SubscribeAsync("s1", EventsSubscription, new { topic });
        await host.Feed.WaitForSubscribersAsync(topic, 1);

        for (var i = 0; i < 5; i++)
        {
            host.Feed.Publish(topic, $"event-{i}");
            var next = await client.ReceiveMessageAsync();
            Assert.Equal("next", Type(next));
            Assert.Equal("s1", next.GetProperty("id").GetString());
            Assert.Equal($"event-{i}", next.GetProperty("payload").GetProperty("data").GetProperty("events").GetString());
        }

        host.Feed.Complete(topic);
        var complete = await client.ReceiveMessageAsync();
        Assert.Equal("complete", Type(complete));
        Assert.Equal("s1", complete.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Complete_from_the_client_disposes_the_subscription_and_stops_events()
    {
        var topic = NewTopic();
        var other = NewTopic();
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SubscribeAsync("s1", EventsSubscription, new { topic });
        await client.SubscribeAsync("s2", EventsSubscription, new { topic = other });
        await host.Feed.WaitForSubscribersAsync(topic, 1);
        await host.Feed.WaitForSubscribersAsync(other, 1);

        await client.SendAsync(new { id = "s1", type = "complete" });
        await host.Feed.WaitForSubscribersAsync(topic, 0);

        host.Feed.Publish(topic, "after-complete");
        host.Feed.Publish(other, "still-flowing");
        var next = await client.ReceiveMessageAsync();
        Assert.Equal("s2", next.GetProperty("id").GetString());
        Assert.Equal("still-flowing", next.GetProperty("payload").GetProperty("data").GetProperty("events").GetString());
    }

    [Fact]
    public async Task Operations_beyond_the_per_connection_limit_get_an_error_message()
    {
        var topic = NewTopic();
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        for (var i = 0; i < 3; i++)
        {
            await client.SubscribeAsync($"s{i}", EventsSubscription, new { topic });
        }

        await host.Feed.WaitForSubscribersAsync(topic, 3);
        await client.SubscribeAsync("one-too-many", "{ hello }");
        var error = await client.ReceiveMessageAsync();
        Assert.Equal("error", Type(error));
        Assert.Equal("one-too-many", error.GetProperty("id").GetString());
        Assert.Contains("Too many operations", error.GetProperty("payload")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        await client.SendAsync(new { id = "s0", type = "complete" });
        await host.Feed.WaitForSubscribersAsync(topic, 2);
        await client.SubscribeAsync("now-fits", "{ hello }");
        Assert.Equal("next", Type(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Client_disconnect_without_close_disposes_its_subscriptions()
    {
        var topic = NewTopic();
        var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SubscribeAsync("s1", EventsSubscription, new { topic });
        await host.Feed.WaitForSubscribersAsync(topic, 1);

        await client.DisposeAsync();

        await host.Feed.WaitForSubscribersAsync(topic, 0);
        host.Feed.Publish(topic, "nobody-listens");
    }

    [Fact]
    public async Task Client_close_is_echoed_and_ends_subscriptions()
    {
        var topic = NewTopic();
        await using var client = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await client.SubscribeAsync("s1", EventsSubscription, new { topic });
        await host.Feed.WaitForSubscribersAsync(topic, 1);

        await client.CloseAsync();

        await host.Feed.WaitForSubscribersAsync(topic, 0);
    }

    [Fact]
    public async Task Slow_consumer_is_closed_with_1013_while_a_fast_one_keeps_receiving()
    {
        var topic = NewTopic();
        await using var slow = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await using var fast = await WsTestClient.ConnectAndInitAsync(host.WebSocketUri);
        await slow.SubscribeAsync("slow", EventsSubscription, new { topic });
        await fast.SubscribeAsync("fast", EventsSubscription, new { topic });
        await host.Feed.WaitForSubscribersAsync(topic, 2);

        // Large events fill the socket buffers of the client that never reads, then its bounded queue (8 in the
        // test host); the fast client reads each event as it comes and must see every one.
        var payload = new string('x', 100 * 1024);
        var published = 0;
        while (host.Feed.SubscriberCount(topic) == 2)
        {
            Assert.True(published < 2000, "The slow consumer was never disconnected.");
            host.Feed.Publish(topic, $"{published}:{payload}");
            var next = await fast.ReceiveMessageAsync();
            Assert.StartsWith($"{published}:", next.GetProperty("payload").GetProperty("data").GetProperty("events").GetString(), StringComparison.Ordinal);
            published++;
        }

        for (var i = 0; i < 5; i++, published++)
        {
            host.Feed.Publish(topic, $"{published}:after");
            var next = await fast.ReceiveMessageAsync();
            Assert.Equal($"{published}:after", next.GetProperty("payload").GetProperty("data").GetProperty("events").GetString());
        }

        var (code, reason, received) = await slow.ReceiveCloseAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1013, code);
        Assert.Contains("not reading", reason, StringComparison.Ordinal);
        Assert.InRange(received, 0, published - 5);
    }

    private static string NewTopic() => Guid.NewGuid().ToString("N");

    private static string? Type(JsonElement message) => message.GetProperty("type").GetString();
}
