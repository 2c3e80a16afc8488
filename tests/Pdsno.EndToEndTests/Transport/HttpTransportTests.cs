using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pdsno.EndToEndTests.Transport;

[Collection(TransportTests.Name)]
public sealed class HttpTransportTests(TransportHost host)
{
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";

    [Fact]
    public async Task Post_query_returns_data_as_graphql_response_json()
    {
        using var response = await PostAsync("""{"query":"{ hello }"}""", GraphQLResponseJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GraphQLResponseJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var body = await ReadJsonAsync(response);
        Assert.Equal("world", body.GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task Post_with_operation_name_and_variables_runs_the_named_operation()
    {
        using var response = await PostAsync(
            """{"query":"query A { hello } query B($t: String!) { echo(text: $t) }","operationName":"B","variables":{"t":"hi"},"extensions":{"x":1}}""",
            GraphQLResponseJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await ReadJsonAsync(response)).GetProperty("data");
        Assert.Equal("hi", data.GetProperty("echo").GetString());
        Assert.False(data.TryGetProperty("hello", out _));
    }

    [Fact]
    public async Task User_context_comes_from_the_factory_for_every_request()
    {
        foreach (var tenant in new[] { "acme", "globex" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQLUri)
            {
                Content = new StringContent("""{"query":"{ tenant }"}""", Encoding.UTF8, Json),
            };
            request.Headers.Add("X-Tenant", tenant);
            using var response = await host.Http.SendAsync(request);
            Assert.Equal(tenant, (await ReadJsonAsync(response)).GetProperty("data").GetProperty("tenant").GetString());
        }
    }

    [Fact]
    public async Task Caller_refused_by_the_user_context_factory_is_401_with_a_challenge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQLUri)
        {
            Content = new StringContent("""{"query":"{ tenant }"}""", Encoding.UTF8, Json),
        };
        request.Headers.Add("X-Reject", "yes");
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var body = await ReadJsonAsync(response);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Equal("UNAUTHENTICATED", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Post_mutation_runs()
    {
        using var response = await PostAsync("""{"query":"mutation { shout(text: \"hey\") }"}""", GraphQLResponseJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HEY", (await ReadJsonAsync(response)).GetProperty("data").GetProperty("shout").GetString());
    }

    [Fact]
    public async Task Missing_accept_is_answered_as_application_json_for_legacy_clients()
    {
        using var response = await PostAsync("""{"query":"{ hello }"}""", accept: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);

        // application/json answers a well-formed request that fails validation with 200, as the spec asks.
        using var invalid = await PostAsync("""{"query":"{ nope }"}""", accept: null);
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Equal(Json, invalid.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("*/*", Json)]
    [InlineData("application/*", Json)]
    [InlineData("application/graphql-response+json;q=0.5, */*", GraphQLResponseJson)]
    [InlineData("application/json", Json)]
    [InlineData("application/graphql-response+json, application/json", GraphQLResponseJson)]
    [InlineData("application/json, application/graphql-response+json", Json)]
    [InlineData("application/graphql-response+json;q=0.5, application/json", Json)]
    [InlineData("text/plain, application/json;q=0.1", Json)]
    public async Task Accept_header_chooses_the_response_media_type(string accept, string expected)
    {
        using var response = await PostAsync("""{"query":"{ hello }"}""", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml, text/csv")]
    [InlineData("application/json;q=0, application/graphql-response+json;q=0")]
    public async Task Accept_allowing_neither_media_type_is_406(string accept)
    {
        using var response = await PostAsync("""{"query":"{ hello }"}""", accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Contains("Accept", FirstErrorMessage(await ReadJsonAsync(response)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/graphql")]
    [InlineData("application/json; charset=latin1")]
    public async Task Unsupported_content_type_is_415(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"query":"{ hello }"}"""));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await host.Http.PostAsync(host.GraphQLUri, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.NotEmpty(FirstErrorMessage(await ReadJsonAsync(response)));
    }

    [Fact]
    public async Task Post_without_content_type_is_415()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"query":"{ hello }"}"""));
        using var response = await host.Http.PostAsync(host.GraphQLUri, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_and_at_the_limit_is_served()
    {
        const int limit = 1024 * 1024;
        const string prefix = "{\"query\":\"{ hello }\",\"extensions\":{\"pad\":\"";
        const string suffix = "\"}}";

        using var tooBig = await PostAsync(prefix + new string('x', limit - prefix.Length - suffix.Length + 1) + suffix, GraphQLResponseJson);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains("exceeds", FirstErrorMessage(await ReadJsonAsync(tooBig)), StringComparison.Ordinal);

        using var atLimit = await PostAsync(prefix + new string('x', limit - prefix.Length - suffix.Length) + suffix, GraphQLResponseJson);
        Assert.True(atLimit.StatusCode == HttpStatusCode.OK, await atLimit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_413()
    {
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("""{"query":"{ hello }","x":""" + "\"" + new string('y', 1100 * 1024) + "\"}")));
        content.Headers.ContentType = new MediaTypeHeaderValue(Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQLUri) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage response;
        try
        {
            response = await host.Http.SendAsync(request);
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException)
        {
            // The server stops reading at the limit, answers 413 and closes; a client still sending may see the close
            // before it reads the answer. Only a server that stopped reading closes mid-body, so this is the refusal;
            // the server must still answer the next request.
            using var next = await PostAsync("""{"query":"{ hello }"}""");
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            return;
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("NONSENSE")]
    [InlineData("""{"query":""")]
    [InlineData("""{"qeury":"{ hello }"}""")]
    [InlineData("""{"query":"{ hello }","variables":[7]}""")]
    [InlineData("""[{"query":"{ hello }"}]""")]
    [InlineData("")]
    public async Task Malformed_request_is_400_with_a_graphql_error_for_both_media_types(string body)
    {
        foreach (var accept in new[] { GraphQLResponseJson, Json })
        {
            using var response = await PostAsync(body, accept);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
            var json = await ReadJsonAsync(response);
            Assert.NotEmpty(FirstErrorMessage(json));
            Assert.False(json.TryGetProperty("data", out _));
        }
    }

    [Theory]
    [InlineData("""{"query":"{"}""")]
    [InlineData("""{"query":"{ nope }"}""")]
    [InlineData("""{"query":"query A { hello } query B { hello }"}""")]
    [InlineData("""{"query":"query ($t: String!) { echo(text: $t) }","variables":{"t":5}}""")]
    public async Task Request_errors_are_400_under_graphql_response_json_and_200_under_json(string body)
    {
        using var strict = await PostAsync(body, GraphQLResponseJson);
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        var strictJson = await ReadJsonAsync(strict);
        Assert.NotEmpty(FirstErrorMessage(strictJson));
        Assert.False(strictJson.TryGetProperty("data", out _));

        using var legacy = await PostAsync(body, Json);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.NotEmpty(FirstErrorMessage(await ReadJsonAsync(legacy)));
    }

    [Fact]
    public async Task Field_error_after_execution_started_is_200_with_partial_data()
    {
        using var response = await PostAsync("""{"query":"{ hello broken }"}""", GraphQLResponseJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        Assert.Equal("world", json.GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal("broken on purpose", FirstErrorMessage(json));
    }

    [Fact]
    public async Task Get_runs_queries_from_the_query_string()
    {
        var uri = Get("query ($t: String!) { echo(text: $t) }", variables: """{"t":"via get"}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(GraphQLResponseJson);
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GraphQLResponseJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("via get", (await ReadJsonAsync(response)).GetProperty("data").GetProperty("echo").GetString());
    }

    [Fact]
    public async Task Get_selects_the_query_named_by_operation_name_even_beside_a_mutation()
    {
        using var response = await host.Http.GetAsync(Get("query Q { hello } mutation M { shout(text: \"x\") }", operationName: "Q"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("world", (await ReadJsonAsync(response)).GetProperty("data").GetProperty("hello").GetString());
    }

    [Theory]
    [InlineData(GraphQLResponseJson)]
    [InlineData(Json)]
    public async Task Get_mutation_is_405_with_allow_post(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Get("mutation { shout(text: \"no\") }"));
        request.Headers.Accept.ParseAdd(accept);
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
        var json = await ReadJsonAsync(response);
        Assert.Contains("POST", FirstErrorMessage(json), StringComparison.Ordinal);
        Assert.False(json.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Get_without_query_is_400()
    {
        using var response = await host.Http.GetAsync(host.GraphQLUri);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("query", FirstErrorMessage(await ReadJsonAsync(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_with_malformed_variables_is_400()
    {
        using var response = await host.Http.GetAsync(Get("{ hello }", variables: "[1,2"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("variables", FirstErrorMessage(await ReadJsonAsync(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_over_post_is_refused_with_the_websocket_location()
    {
        const string body = """{"query":"subscription { events(topic: \"http\") }"}""";

        using var strict = await PostAsync(body, GraphQLResponseJson);
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        var message = FirstErrorMessage(await ReadJsonAsync(strict));
        Assert.Contains("subscriptions are served over WebSocket (graphql-transport-ws) at /graphql", message, StringComparison.OrdinalIgnoreCase);

        using var legacy = await PostAsync(body, Json);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Contains("graphql-transport-ws", FirstErrorMessage(await ReadJsonAsync(legacy)), StringComparison.Ordinal);
        Assert.Equal(0, host.Feed.SubscriberCount("http"));
    }

    [Fact]
    public async Task Subscription_over_get_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Get("subscription { events(topic: \"http-get\") }"));
        request.Headers.Accept.ParseAdd(GraphQLResponseJson);
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("graphql-transport-ws", FirstErrorMessage(await ReadJsonAsync(response)), StringComparison.Ordinal);

        // A legacy client (no Accept) gets application/json, where a request error is still 200.
        using var legacy = await host.Http.GetAsync(Get("subscription { events(topic: \"http-get\") }"));
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Contains("graphql-transport-ws", FirstErrorMessage(await ReadJsonAsync(legacy)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_are_405(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), host.GraphQLUri)
        {
            Content = new StringContent("""{"query":"{ hello }"}""", Encoding.UTF8, Json),
        };
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? accept = GraphQLResponseJson)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQLUri)
        {
            Content = new StringContent(body, Encoding.UTF8, Json),
        };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await host.Http.SendAsync(request);
    }

    private Uri Get(string query, string? operationName = null, string? variables = null)
    {
        var parameters = new List<string> { "query=" + Uri.EscapeDataString(query) };
        if (operationName is not null)
        {
            parameters.Add("operationName=" + Uri.EscapeDataString(operationName));
        }

        if (variables is not null)
        {
            parameters.Add("variables=" + Uri.EscapeDataString(variables));
        }

        return new Uri(host.GraphQLUri + "?" + string.Join('&', parameters));
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static string FirstErrorMessage(JsonElement body) =>
        body.GetProperty("errors")[0].GetProperty("message").GetString() ?? string.Empty;
}
