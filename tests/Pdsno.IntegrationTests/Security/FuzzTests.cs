using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Pdsno.IntegrationTests.Security;

/// <summary>
/// Throws malformed, oversized, deeply nested and unauthenticated input at <c>/graphql</c> of one real silo, over HTTP
/// and WebSocket, and checks that every answer is a well-formed refusal and that the silo is still up afterwards.
/// Every input comes from one seeded <see cref="Random"/>; a failure names its case so it can be replayed.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class FuzzTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Seed = 20_261_128;
    private const string Unlimited = "1000000";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);
    private static readonly string Mega5 = new('x', 5 * 1024 * 1024);

    [Fact]
    public async Task Hostile_input_over_HTTP_and_WebSocket_gets_well_formed_errors_and_the_silo_stays_up()
    {
        var db = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Simulation:Devices"] = "12",
            ["Simulation:Regions"] = "2",
            ["Security:RateLimits:PerAddressPerSecond"] = Unlimited,
            ["Security:RateLimits:PerAddressBurst"] = Unlimited,
            ["Security:RateLimits:PerTokenPerSecond"] = Unlimited,
            ["Security:RateLimits:PerTokenBurst"] = Unlimited,
            ["Security:RateLimits:FailedAuthenticationsPerAddressPerMinute"] = Unlimited,
            ["GraphQL:Transport:ConnectionInitTimeout"] = "00:00:02",
        });
        await silo.WaitReadyAsync();

        using var run = new FuzzRun(silo, new FuzzInputs(new Random(Seed)));
        await run.HttpAsync();
        await run.WebSocketAsync();

        Assert.False(silo.HasExited, "the silo exited:\n" + silo.Output);
        using (var ready = await silo.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var regions = await Api.GraphQLHttp.PostAsync(silo.Http, "{ regions(first: 5) { totalCount } }");
        Assert.Equal(2, regions["regions"]!["totalCount"]!.GetValue<int>());
        await using (var socket = await Api.GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken))
        {
            await socket.SendAsync(new JsonObject { ["id"] = "q", ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ regions(first: 5) { totalCount } }" } });
            Assert.Equal(2, (await socket.CollectAsync("q", items => items.Count > 0, AnswerTimeout)).Single()["regions"]!["totalCount"]!.GetValue<int>());
        }

        foreach (var (category, count) in run.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{category}: {count} cases");
        }

        output.WriteLine($"total: {run.Counts.Values.Sum()} cases, seed {Seed}");
        Assert.True(run.Failures.Count == 0, $"{run.Failures.Count} of {run.Counts.Values.Sum()} cases (seed {Seed}) were not answered with a well-formed error:\n" + string.Join("\n", run.Failures.Take(30)));
    }

    [Fact]
    public async Task A_flood_from_one_address_and_repeated_bad_tokens_get_429_with_Retry_After_whatever_X_Forwarded_For_says()
    {
        var db = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Simulation:Devices"] = "4",
            ["Simulation:Regions"] = "1",
            ["Security:RateLimits:PerAddressPerSecond"] = "20",
            ["Security:RateLimits:PerAddressBurst"] = "40",
            ["Security:RateLimits:FailedAuthenticationsPerAddressPerMinute"] = "5",
        });
        await silo.WaitReadyAsync();
        using var client = new HttpClient { BaseAddress = silo.Http.BaseAddress, Timeout = AnswerTimeout };

        // Bad tokens from one address: after the allowed failures the address is refused unread.
        var refusals = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonBody("{ regions { totalCount } }") };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer pdsno_0000000000000000_" + new string('0', 64));
            refusals.Add(await client.SendAsync(request));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, refusals[0].StatusCode);
        AssertRetryAfter(refusals[^1]);

        // A flood from one address: beyond the burst, 429 with Retry-After, whatever the request, and whatever
        // X-Forwarded-For claims (only trusted proxies may name the client; none is configured here).
        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
            request.Headers.Add("X-Forwarded-For", $"10.{i}.{i % 256}.{i % 7}");
            using var response = await client.SendAsync(request);
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
        }));
        Assert.Contains(flood, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Contains(flood, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests), r => Assert.True(r.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {r.RetryAfter}"));
        Assert.DoesNotContain(flood, r => (int)r.StatusCode >= 500);
        foreach (var response in refusals)
        {
            response.Dispose();
        }
    }

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After {response.Headers.RetryAfter}");
    }

    private static ByteArrayContent JsonBody(string query, JsonObject? variables = null) =>
        Raw(Encoding.UTF8.GetBytes(new JsonObject { ["query"] = query, ["variables"] = variables ?? new JsonObject() }.ToJsonString()), "application/json");

    private static ByteArrayContent Raw(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    /// <summary>
    /// What a case accepts besides a well-formed GraphQL error. <see cref="MayResetWhileSending"/> is a property of
    /// the case, not matched against its name: the label carries a case number, so a name comparison never held.
    /// </summary>
    private sealed record Expect(bool MaySucceed = false, int[]? Statuses = null)
    {
        /// <summary>The server may refuse the body while it arrives and close before the client reads the answer.</summary>
        public bool MayResetWhileSending { get; init; }

        public static readonly Expect Error = new();
        public static readonly Expect ErrorOrData = new(MaySucceed: true);

        public static Expect Only(params int[] statuses) => new(Statuses: statuses);
    }

    /// <summary>The run's cases, their counts and the failures found.</summary>
    private sealed class FuzzRun(SiloProcess silo, FuzzInputs inputs) : IDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = silo.Http.BaseAddress,
            Timeout = AnswerTimeout,
        };

        private int _case;

        public Dictionary<string, int> Counts { get; } = [];

        public List<string> Failures { get; } = [];

        private Random Random => inputs.Random;

        public void Dispose() => _http.Dispose();

        public async Task HttpAsync()
        {
            var deviceIds = await DeviceIdsAsync();
            for (var i = 0; i < 300; i++)
            {
                await PostAsync("http.random-bytes", Raw(inputs.Bytes(i < 150 ? 64 : 4096), "application/json"), Expect.Error);
            }

            for (var i = 0; i < 300; i++)
            {
                await PostAsync("http.invalid-utf8-body", Raw(inputs.InvalidUtf8Body(), "application/json; charset=utf-8"), Expect.Error);
            }

            for (var i = 0; i < 300; i++)
            {
                await PostAsync("http.truncated-document", JsonBody(inputs.Truncated(), new JsonObject { ["id"] = "x", ["r"] = "x" }), Expect.Error);
            }

            for (var i = 0; i < 300; i++)
            {
                await PostAsync("http.garbled-document", JsonBody(inputs.Garbled(), new JsonObject { ["id"] = Pick(deviceIds), ["r"] = "UmVnaW9uOnIx" }), Expect.ErrorOrData);
            }

            for (var i = 0; i < 100; i++)
            {
                var query = Uri.EscapeDataString(i % 2 == 0 ? inputs.Garbled() : inputs.Truncated());
                var extra = (i % 5) switch
                {
                    0 => "&variables=" + Uri.EscapeDataString(inputs.Printable(50)),
                    1 => "&variables=%FF%FE%C0%80",
                    2 => "&query=" + query,
                    3 => "&extensions=" + Uri.EscapeDataString(inputs.Json(3)?.ToJsonString() ?? "null"),
                    _ => "&operationName=" + Uri.EscapeDataString(inputs.Printable(20)),
                };
                await SendAsync("http.get-garbled-query-string", new HttpRequestMessage(HttpMethod.Get, $"/graphql?query={query}{extra}"), Expect.ErrorOrData);
            }

            await DeepAsync();
            await OversizedAsync(deviceIds);
            await ContentTypesAndMethodsAsync();
            await AuthorizationAsync();
        }

        public async Task WebSocketAsync()
        {
            var token = silo.AdminToken;
            for (var i = 0; i < 150; i++)
            {
                var payload = inputs.GarbageInitPayload(token);
                await SocketAsync("ws.garbage-connection-init", [Text($"{{\"type\":\"connection_init\",\"payload\":{payload}}}")], ExpectClose(4400, 4403, 1009));
            }

            for (var i = 0; i < 80; i++)
            {
                // The runtime's WebSocket checks UTF-8 itself and ends such a connection with 1007, sometimes without
                // completing the close handshake; either way the connection ends at once (random bytes below too).
                await SocketAsync("ws.invalid-utf8-frame", [Text(inputs.InvalidUtf8Message(i % 2 == 0 ? "connection_init" : "ping"))], ExpectClose(1007, 4400), droppedIsClose: true);
            }

            for (var i = 0; i < 80; i++)
            {
                await SocketAsync("ws.random-bytes-frame", [Text(inputs.Bytes(1 + (i * 20)))], ExpectClose(1007, 4400), droppedIsClose: true);
            }

            for (var i = 0; i < 10; i++)
            {
                await SocketAsync("ws.binary-frame", [Binary(inputs.Bytes(100))], ExpectClose(4400));
                await SocketAsync("ws.subscribe-before-init", [Text("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ regions { totalCount } }\"}}")], ExpectClose(4401));
            }

            for (var i = 0; i < 3; i++)
            {
                await SocketAsync("ws.oversized-message", [Text(Encoding.UTF8.GetBytes($"{{\"type\":\"connection_init\",\"payload\":{{\"x\":\"{new string('x', (1024 * 1024) + 10)}\"}}}}"))], ExpectClose(1009));
                await SocketAsync("ws.no-subprotocol", [], ExpectClose(4406), subprotocol: false);
                await SocketAsync("ws.no-connection-init", [], ExpectClose(4408));
            }

            var init = Text(Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = "Bearer " + token } }.ToJsonString()));
            for (var i = 0; i < 40; i++)
            {
                var message = new JsonObject { ["type"] = i % 4 == 0 ? inputs.Printable(12) : "complete" };
                if (i % 2 == 1)
                {
                    // Never a non-empty string: completing an unknown operation is allowed and answered with nothing.
                    message["id"] = (i % 3) switch { 0 => JsonValue.Create(42), 1 => new JsonArray(), _ => JsonValue.Create("") };
                }

                await SocketAsync("ws.unknown-or-malformed-message-after-init", [init, Text(Encoding.UTF8.GetBytes(message.ToJsonString()))], ExpectClose(4400), acknowledged: true);
            }

            // Many malformed operations on one acknowledged connection: each gets its own error, the connection stays open.
            for (var connection = 0; connection < 10; connection++)
            {
                await MalformedSubscriptionsAsync(init, 30);
            }
        }

        private async Task<List<string>> DeviceIdsAsync()
        {
            try
            {
                var page = await Api.GraphQLHttp.PostAsync(silo.Http, "{ devices(first: 10) { edges { node { id } } } }");
                var ids = page["devices"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToList();
                return ids.Count > 0 ? ids : ["RGV2aWNlOm5vbmU="];
            }
            catch (InvalidOperationException)
            {
                return ["RGV2aWNlOm5vbmU="];
            }
        }

        private string Pick(List<string> items) => items[Random.Next(items.Count)];

        private async Task DeepAsync()
        {
            foreach (var depth in new[] { 13, 64, 200, 1000, 5000 })
            {
                await PostAsync("http.deep-selection", JsonBody(FuzzInputs.Nested("{ regions { edges { node { ", "} } } ", depth / 3, "id ") + "}"), Expect.Error);
                await PostAsync("http.deep-selection", JsonBody("{" + FuzzInputs.Nested(" devices { edges { node {", " } } }", depth / 3, " id") + " }"), Expect.Error);
                await PostAsync("http.deep-list-literal", JsonBody("{ nodes(ids: " + FuzzInputs.Nested("[", "]", depth, "\"x\"") + ") { id } }"), Expect.Error);
                await PostAsync("http.deep-input-object", JsonBody("{ devices(filter: " + FuzzInputs.Nested("{status: ", "}", depth, "ACTIVE") + ") { totalCount } }"), Expect.Error);
                await PostAsync("http.deep-variables", Raw(Encoding.UTF8.GetBytes("{\"query\":\"query($ids: [ID!]!) { nodes(ids: $ids) { id } }\",\"variables\":{\"ids\":" + FuzzInputs.Nested("[", "]", depth, "\"x\"") + "}}"), "application/json"), Expect.Error);
                await PostAsync("http.deep-variables", Raw(Encoding.UTF8.GetBytes("{\"query\":\"{ regions { totalCount } }\",\"variables\":{\"v\":" + FuzzInputs.Nested("{\"a\":", "}", depth, "1") + "}}"), "application/json"), Expect.ErrorOrData);
                // Long chains are refused before validation (GraphQL:Limits:MaxFragments), so any length answers at once.
                var fragments = depth;
                await PostAsync("http.deep-fragments", JsonBody("{ ...F0 } " + string.Concat(Enumerable.Range(0, fragments).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} }} ")) + $"fragment F{fragments} on Query {{ ...F0 }}"), Expect.Error);
            }

            await PostAsync("http.many-aliases", JsonBody("{ " + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"a{i}: regions(first: 500) {{ totalCount }} ")) + "}"), Expect.Error);
            await PostAsync("http.many-aliases", JsonBody("{ " + string.Concat(Enumerable.Range(0, 200).Select(i => $"a{i}: devices(first: 500) {{ edges {{ node {{ interfaces {{ name }} neighbors {{ device {{ name }} }} }} }} }} ")) + "}"), Expect.Error);
        }

        private async Task OversizedAsync(List<string> deviceIds)
        {
            var tenThousand = new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode)JsonValue.Create(i % 3 == 0 ? Pick(deviceIds) : $"RGV2aWNlOm{i}")!).ToArray());
            await PostAsync("http.oversized-list", JsonBody("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", new JsonObject { ["ids"] = tenThousand }), Expect.Error);
            await PostAsync("http.oversized-list", JsonBody("{ nodes(ids: " + tenThousand.ToJsonString() + ") { id } }"), Expect.Error);
            foreach (var page in new[] { "first: 1000000", "first: -1", "last: 1000000", "first: 2147483648", "first: 1e9", "first: 501", "last: -5, first: 3" })
            {
                await PostAsync("http.oversized-page", JsonBody($"{{ devices({page}) {{ totalCount }} }}"), Expect.Error);
                await PostAsync("http.oversized-page", JsonBody($"{{ regions({page}) {{ totalCount }} }}"), Expect.Error);
                await PostAsync("http.oversized-page", JsonBody($"{{ events({page}) {{ totalCount }} }}"), Expect.Error);
            }

            await PostAsync("http.body-5mb", Raw(Encoding.UTF8.GetBytes(Mega5), "application/json"), Expect.Only(413));
            await PostAsync("http.body-5mb", JsonBody("{ regions { totalCount } }", new JsonObject { ["big"] = Mega5 }), Expect.Only(413));
            // Without a length up front the server learns the body is too big while it arrives, answers 413 and
            // closes; a client still sending sees the close instead of the answer ("copying content" or "sending the
            // request", depending on where the reset finds it). The refusal is what counts; that the silo stayed up
            // and answers is checked at the end of the run.
            await PostAsync("http.body-5mb-chunked", new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Mega5))) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, Expect.Only(413) with { MayResetWhileSending = true }, chunked: true);

            var query = "query($big: String, $obj: JSON) { regions(first: 5) { totalCount } }";
            await PostAsync("http.large-allowed-variables", JsonBody("{ regions(first: 5) { totalCount } }", new JsonObject { ["big"] = new string('v', 900 * 1024) }), Expect.Only(200));
            var wide = new JsonObject();
            for (var i = 0; i < 20_000; i++)
            {
                wide["k" + i] = i;
            }

            await PostAsync("http.large-allowed-variables", JsonBody("{ regions(first: 5) { totalCount } }", new JsonObject { ["unused"] = wide }), Expect.Only(200));
            await PostAsync("http.large-allowed-variables", JsonBody(query, new JsonObject { ["obj"] = wide.DeepClone() }), Expect.Error);
            await SendAsync("http.long-url", new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + new string('{', 100_000)), Expect.Error);
        }

        private async Task ContentTypesAndMethodsAsync()
        {
            var body = Encoding.UTF8.GetBytes("{\"query\":\"{ regions { totalCount } }\"}");
            string?[] types = [null, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/graphql",
                "application/json-patch+json", "text/json", "application/jsonx", "application/octet-stream", "json", ";;;", "application/json; charset=latin1",
                "application/json; charset=utf-16", "*/*", "application/*", "\u0001\u0002", inputs.Printable(60)];
            foreach (var type in types)
            {
                await PostAsync("http.wrong-content-type", Raw(body, type), Expect.ErrorOrData);
            }

            foreach (var method in new[] { "PUT", "DELETE", "PATCH", "OPTIONS", "FOO" })
            {
                await SendAsync("http.wrong-method", new HttpRequestMessage(new HttpMethod(method), "/graphql") { Content = Raw(body, "application/json") }, Expect.Error);
            }

            foreach (var accept in new[] { "text/csv", "image/png", "application/xml;q=1, */*;q=0", ";;;,,," })
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Raw(body, "application/json") };
                request.Headers.TryAddWithoutValidation("Accept", accept);
                await SendAsync("http.unacceptable-accept", request, Expect.Error, accept: null);
            }
        }

        private async Task AuthorizationAsync()
        {
            var body = Encoding.UTF8.GetBytes("{\"query\":\"{ regions { totalCount } }\"}");
            for (var i = 0; i < 500; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Raw(body, "application/json") };
                await SendAsync("http.garbage-authorization", request, Expect.Only(401), authorization: inputs.GarbageAuthorization(silo.AdminToken));
            }

            foreach (var size in new[] { 9_000, 40_000, 100_000 })
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Raw(body, "application/json") };
                await SendAsync("http.overlong-authorization", request, Expect.Only(401, 431), authorization: "Bearer pdsno_" + new string('a', size));
            }

            for (var i = 0; i < 20; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("{ regions { totalCount } }"));
                await SendAsync("http.get-garbage-authorization", request, Expect.Only(401), authorization: "Basic " + Convert.ToBase64String(inputs.Bytes(60)));
            }
        }

        private Task PostAsync(string category, HttpContent content, Expect expect, bool chunked = false)
        {
            // A server that refuses a body early closes the connection while the client still sends; asking for
            // 100-continue lets the client read the refusal instead of failing on the write.
            var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content, Headers = { ExpectContinue = true } };
            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }

            return SendAsync(category, request, expect);
        }

        private async Task SendAsync(string category, HttpRequestMessage request, Expect expect, string? authorization = "", string? accept = "application/graphql-response+json")
        {
            var label = $"{category} #{++_case}";
            Counts[category] = Counts.GetValueOrDefault(category) + 1;
            request.Headers.TryAddWithoutValidation("Authorization", authorization == "" ? "Bearer " + silo.AdminToken : authorization);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            using (request)
            {
                try
                {
                    using var response = await _http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    var problem = Judge(response, text, expect);
                    if (problem is not null)
                    {
                        Failures.Add($"{label}: {problem} (request {Describe(request)})");
                    }
                }
                catch (HttpRequestException) when (expect.MayResetWhileSending)
                {
                    // The case said a refusal may reach the client as a reset while it still sends (see the caller).
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    Failures.Add($"{label}: no answer: {ex.GetType().Name}: {ex.Message} (request {Describe(request)})");
                }
            }
        }

        private static string? Judge(HttpResponseMessage response, string text, Expect expect)
        {
            var status = (int)response.StatusCode;
            var head = $"{status} '{Clip(text)}'";
            if (status >= 500)
            {
                return "server error " + head;
            }

            if (expect.Statuses is { } statuses && !statuses.Contains(status))
            {
                return $"expected {string.Join("/", statuses)}, got {head}";
            }

            if (status == 429)
            {
                return response.Headers.RetryAfter is null ? "429 without Retry-After" : null;
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (!mediaType.Contains("json", StringComparison.Ordinal))
            {
                // Refusals the HTTP server makes before any endpoint runs: malformed request, body or headers too large.
                return status is 400 or 413 or 414 or 431 ? null : "not JSON: " + head;
            }

            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                return $"unparseable JSON ({ex.Message}): {head}";
            }

            var hasErrors = json?["errors"] is JsonArray { Count: > 0 } errors && errors.All(e => e?["message"] is JsonValue);
            var hasData = json?["data"] is JsonObject;
            if (status >= 400)
            {
                return hasErrors ? null : "4xx without errors: " + head;
            }

            return hasErrors || (expect.MaySucceed && hasData) || (expect.Statuses?.Contains(status) == true && hasData)
                ? null
                : "success where an error was due: " + head;
        }

        private async Task SocketAsync(string category, byte[][] frames, Func<SocketOutcome, string?> expect, bool subprotocol = true, bool acknowledged = false, bool droppedIsClose = false)
        {
            var label = $"{category} #{++_case}";
            Counts[category] = Counts.GetValueOrDefault(category) + 1;
            using var socket = new ClientWebSocket();
            if (subprotocol)
            {
                socket.Options.AddSubProtocol("graphql-transport-ws");
            }

            try
            {
                using var timeout = new CancellationTokenSource(AnswerTimeout);
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{silo.HttpPort}/graphql"), timeout.Token);
                foreach (var frame in frames)
                {
                    await socket.SendAsync(frame.AsMemory(1), frame[0] == 0 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, timeout.Token);
                }

                SocketOutcome outcome;
                do
                {
                    outcome = await NextAsync(socket, timeout.Token);
                }
                while (acknowledged && outcome.Type == "connection_ack");

                if (expect(outcome) is { } problem)
                {
                    Failures.Add($"{label}: {problem} (sent {string.Join(" | ", frames.Select(f => Clip(Encoding.UTF8.GetString(f, 1, f.Length - 1))))})");
                }
            }
            catch (WebSocketException ex) when (droppedIsClose && ex.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
            {
                // Ended without a close frame: accepted for this category, see the caller.
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                Failures.Add($"{label}: {ex.GetType().Name}: {ex.Message} (sent {string.Join(" | ", frames.Select(f => Clip(Encoding.UTF8.GetString(f, 1, f.Length - 1))))})");
            }
        }

        private async Task MalformedSubscriptionsAsync(byte[] init, int operations)
        {
            const string Category = "ws.malformed-subscribe";
            using var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("graphql-transport-ws");
            using var timeout = new CancellationTokenSource(AnswerTimeout * 2);
            try
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{silo.HttpPort}/graphql"), timeout.Token);
                await socket.SendAsync(init.AsMemory(1), WebSocketMessageType.Text, true, timeout.Token);
                if ((await NextAsync(socket, timeout.Token)).Type != "connection_ack")
                {
                    Failures.Add($"{Category}: the admin token was not acknowledged");
                    return;
                }

                for (var i = 0; i < operations; i++)
                {
                    var label = $"{Category} #{++_case}";
                    Counts[Category] = Counts.GetValueOrDefault(Category) + 1;
                    var id = "op" + i;
                    var query = (i % 5) switch
                    {
                        0 => inputs.Garbled(subscriptions: false),
                        1 => FuzzInputs.Nested("{ regions { edges { node { ", "} } } ", 350, "id ") + "}",
                        2 => "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                        _ => inputs.Truncated(),
                    };
                    var payload = new JsonObject { ["query"] = query };
                    if (i % 5 == 2)
                    {
                        payload["variables"] = new JsonObject { ["ids"] = new JsonArray(Enumerable.Range(0, 10_000).Select(n => (JsonNode)JsonValue.Create("x" + n)!).ToArray()) };
                    }

                    var message = new JsonObject { ["id"] = id, ["type"] = "subscribe", ["payload"] = payload };
                    await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);

                    // The operation ends with its error (or, for a garbled document that still runs, with next and complete).
                    SocketOutcome outcome;
                    var sawNext = false;
                    do
                    {
                        outcome = await NextAsync(socket, timeout.Token);
                        sawNext |= outcome.Type == "next";
                    }
                    while (outcome.Type == "ping" || (outcome.Type == "next" && outcome.Id == id));

                    var ended = outcome.Id == id && (outcome.Type == "error" || (outcome.Type == "complete" && sawNext));
                    if (!ended)
                    {
                        Failures.Add($"{label}: expected error or next+complete for {id}, got {outcome} (query {Clip(query)})");
                        return;
                    }
                }

                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                Failures.Add($"{Category}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        private static Func<SocketOutcome, string?> ExpectClose(params int[] codes) => outcome =>
            outcome.CloseCode is { } code && codes.Contains(code) ? null : $"expected a close with {string.Join("/", codes)}, got {outcome}";

        private static async Task<SocketOutcome> NextAsync(ClientWebSocket socket, CancellationToken cancellationToken)
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new SocketOutcome(null, null, (int?)result.CloseStatus ?? 1005, null);
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    var text = Encoding.UTF8.GetString(message.ToArray());
                    try
                    {
                        var json = JsonNode.Parse(text);
                        return new SocketOutcome(json?["type"]?.GetValue<string>(), json?["id"]?.GetValue<string>(), null, Clip(text));
                    }
                    catch (Exception ex) when (ex is JsonException or InvalidOperationException)
                    {
                        return new SocketOutcome("(not a protocol message)", null, null, Clip(text));
                    }
                }
            }
        }

        private static byte[] Text(string text) => Text(Encoding.UTF8.GetBytes(text));

        private static byte[] Text(byte[] bytes) => [0, .. bytes];

        private static byte[] Binary(byte[] bytes) => [1, .. bytes];

        private static string Describe(HttpRequestMessage request) =>
            $"{request.Method} {Clip(request.RequestUri?.ToString() ?? "")} auth '{Clip(request.Headers.TryGetValues("Authorization", out var auth) ? string.Join(",", auth) : "")}' type '{request.Content?.Headers.ContentType}'";

        private static string Clip(string text) => text.Length <= 160 ? text : text[..160] + $"...({text.Length} chars)";
    }

    /// <summary>What the server did next on a WebSocket: a message (type and id) or a close (code).</summary>
    private sealed record SocketOutcome(string? Type, string? Id, int? CloseCode, string? Text);
}
