using System.Text;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Api;

/// <summary>
/// Every curl and GraphQL example of README.md runs against a real silo started with the README's defaults (the
/// simulated network of seed 42), in the order a reader meets them, so the README cannot drift from the API.
/// Which blocks count as examples is ruled in <see cref="ReadmeExamples"/>.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ReadmeExamplesTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Every_example_of_the_readme_answers_without_errors_on_a_fresh_silo()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);

        // Only the discovery and analysis intervals differ from a plain start: they make the subscription examples' events come sooner.
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string> { ["Discovery:Interval"] = "00:00:01", ["Analytics:AnalysisInterval"] = "00:00:05" });
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 60, TimeSpan.FromSeconds(90), "the default network of 60 devices discovered");

        // The change examples approve as the README tells a reader to: with a token of the approver roles an admin made.
        var approver = await ApproverTokenAsync(silo);
        var examples = ReadmeExamples.Parse(
            await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md")),
            new Dictionary<string, string> { ["PDSNO_TOKEN"] = silo.AdminToken, ["APPROVER_TOKEN"] = approver });
        Assert.NotEmpty(examples);
        Assert.Contains(examples, e => e is CurlExample);
        Assert.Contains(examples, e => e is GraphQLExample);

        var failures = new List<string>();
        foreach (var example in examples)
        {
            var problem = example switch
            {
                CurlExample curl => await RunAsync(silo, curl),
                GraphQLExample { IsSubscription: true } subscription => await SubscribeAsync(silo, subscription),
                GraphQLExample operation => await PostAsync(silo, operation),
                _ => "unknown kind of example",
            };
            if (problem is not null)
            {
                failures.Add($"{example.Describe()}\n  -> {problem}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {examples.Count} README examples fail:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void The_reader_finds_curl_graphql_and_inline_examples_and_skips_other_processes()
    {
        const string Markdown = """
            ```sh
            ./scripts/start.sh --Simulation:Enabled=false
            export PDSNO_TOKEN="$(cat .pdsno/admin-token)"
            ConnectionStrings__Pdsno="Host=db;Database=x" ./scripts/start.sh --urls http://0.0.0.0:8080
            ```

            ```
            PDSNO is running. GraphQL API: http://127.0.0.1:8080/graphql
            ```

            ```sh
            curl -s http://127.0.0.1:8080/graphql -H "authorization: Bearer $PDSNO_TOKEN" -H 'content-type: application/json' -d '{"query":
              "{ device(name: \"r1-core-1\") { name } }"}'
            auth="authorization: Bearer $PDSNO_TOKEN"
            curl -X POST -H "$auth" http://127.0.0.1:8080/sandbox/devices/r1-core-1/down      # a comment
            ```

            Call `device(id)` or `mutation { createApiToken(input: {name: "x", roles: ["viewer"]}) { secret } }`.

            ```graphql
            subscription { topologyChanged(since: 0) { sequence } }
            ```
            """;
        var examples = ReadmeExamples.Parse(Markdown, new Dictionary<string, string> { ["PDSNO_TOKEN"] = "t0k" });

        Assert.Equal(4, examples.Count);
        var query = Assert.IsType<CurlExample>(examples[0]);
        Assert.Equal(("POST", "http://127.0.0.1:8080/graphql"), (query.Method, query.Url));
        Assert.Contains(("authorization", "Bearer t0k"), query.Headers);
        Assert.Equal("{ device(name: \"r1-core-1\") { name } }", JsonNode.Parse(query.Body!)!["query"]!.GetValue<string>());
        var sandbox = Assert.IsType<CurlExample>(examples[1]);
        Assert.Equal(("POST", "http://127.0.0.1:8080/sandbox/devices/r1-core-1/down", 15), (sandbox.Method, sandbox.Url, sandbox.Line));
        Assert.Equal([("authorization", "Bearer t0k")], sandbox.Headers);
        Assert.StartsWith("mutation { createApiToken", Assert.IsType<GraphQLExample>(examples[2]).Document, StringComparison.Ordinal);
        Assert.True(Assert.IsType<GraphQLExample>(examples[3]).IsSubscription);

        // A curl the reader cannot run is an error, never a skip.
        Assert.Throws<FormatException>(() => ReadmeExamples.Parse("```sh\ncurl -k https://example.org/graphql\n```\n", new Dictionary<string, string>()));
        Assert.Throws<FormatException>(() => ReadmeExamples.Parse("```sh\ncurl -H \"authorization: Bearer $NOPE\" http://127.0.0.1:8080/status\n```\n", new Dictionary<string, string>()));
    }

    private static async Task<string> ApproverTokenAsync(SiloProcess silo)
    {
        var body = new JsonObject { ["query"] = "mutation { createApiToken(input: {name: \"approver\", roles: [\"region-approver\", \"global-approver\"]}) { secret } }" };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await silo.Http.PostAsync("/graphql", content);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return json["data"]?["createApiToken"]?["secret"]?.GetValue<string>() ?? throw new InvalidOperationException("no approver token: " + json.ToJsonString());
    }

    private static async Task<string?> RunAsync(SiloProcess silo, CurlExample curl)
    {
        using var request = new HttpRequestMessage(new HttpMethod(curl.Method), new Uri(silo.Http.BaseAddress!, curl.Url[ReadmeExamples.DocumentedBase.Length..]));
        var contentType = "application/x-www-form-urlencoded"; // what curl -d sends unless told otherwise
        foreach (var (name, value) in curl.Headers)
        {
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (curl.Body is not null)
        {
            request.Content = new StringContent(curl.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        // A fresh client: the example must carry its own token, as it does for a reader.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return $"HTTP {(int)response.StatusCode}: {text}";
        }

        return curl.Url.EndsWith("/graphql", StringComparison.Ordinal) ? Errors(JsonNode.Parse(text)) : null;
    }

    private static async Task<string?> PostAsync(SiloProcess silo, GraphQLExample example)
    {
        var body = new JsonObject { ["query"] = example.Document };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await silo.Http.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? Errors(JsonNode.Parse(text)) : $"HTTP {(int)response.StatusCode}: {text}";
    }

    private static async Task<string?> SubscribeAsync(SiloProcess silo, GraphQLExample example)
    {
        await using var socket = await GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken);
        await socket.SubscribeAsync("readme", example.Document);
        try
        {
            var events = await socket.CollectAsync("readme", items => items.Count >= 1, TimeSpan.FromSeconds(60));
            return events.Count >= 1 ? null : "no event within 60 s";
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Top-level errors, or a payload's typed <c>errors</c> that are not empty, or a root field that is null.</summary>
    private static string? Errors(JsonNode? response)
    {
        if (response is null)
        {
            return "no JSON answer";
        }

        if (response["errors"] is JsonArray { Count: > 0 } errors)
        {
            return errors.ToJsonString();
        }

        if (response["data"] is not JsonObject data)
        {
            return "no data: " + response.ToJsonString();
        }

        if (data.FirstOrDefault(p => p.Value is null) is { Key: { } empty })
        {
            return $"{empty} is null: {response.ToJsonString()}";
        }

        return PayloadErrors(data) is { } payload ? "errors in the payload: " + payload.ToJsonString() : null;
    }

    private static JsonArray? PayloadErrors(JsonNode? node) => node switch
    {
        JsonObject o => o["errors"] is JsonArray { Count: > 0 } errors ? errors : o.Select(p => PayloadErrors(p.Value)).FirstOrDefault(e => e is not null),
        JsonArray a => a.Select(PayloadErrors).FirstOrDefault(e => e is not null),
        _ => null,
    };
}
