using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>First start, the token command line, and the per-address limit that a spoofed X-Forwarded-For cannot dodge.</summary>
[Collection(PostgresGroup.Name)]
public sealed class FirstStartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_first_start_writes_one_admin_token_readable_only_by_its_owner_and_the_command_line_makes_more()
    {
        var db = await postgres.CreateDatabaseAsync();
        await using var first = SiloProcess.Start(db);
        await first.WaitReadyAsync();
        Assert.True(File.Exists(first.AdminTokenFile));
        Assert.False(OperatingSystem.IsWindows());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.AdminTokenFile));
        }

        var written = File.GetLastWriteTimeUtc(first.AdminTokenFile);

        // A second silo of the same cluster finds the admin token and writes nothing.
        await using var second = SiloProcess.Start(db);
        await second.WaitReadyAsync();
        Assert.Equal(written, File.GetLastWriteTimeUtc(first.AdminTokenFile));
        var q = new ReadModelQueries(db);
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM api_tokens"));

        var (exit, output) = await RunTokenCommandAsync(db, "create", "--name", "ci-bot", "--roles", "viewer,operator");
        Assert.True(exit == 0, output);
        var token = output.Trim().Split('\n')[^1].Trim();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ viewer { tokenName roles } }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await new HttpClient { BaseAddress = second.Http.BaseAddress }.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ci-bot", body, StringComparison.Ordinal);

        (exit, output) = await RunTokenCommandAsync(db, "create", "--name", "x", "--roles", "superuser");
        Assert.Equal(2, exit);
        Assert.Contains("unknown role 'superuser'", output, StringComparison.Ordinal);

        (exit, output) = await RunTokenCommandAsync(db, "list");
        Assert.Equal(0, exit);
        Assert.Contains("first-admin", output, StringComparison.Ordinal);
        Assert.Contains("ci-bot", output, StringComparison.Ordinal);
        Assert.DoesNotContain(token[^64..], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_revoked_through_one_silo_stops_working_on_the_other_at_once()
    {
        var db = await postgres.CreateDatabaseAsync();
        await using var a = SiloProcess.Start(db);
        await a.WaitReadyAsync();
        await using var b = SiloProcess.Start(db);
        await b.WaitReadyAsync();
        var admin = a.AdminToken;

        var created = await PostAsync(a, admin, "mutation { createApiToken(input: {name: \"roaming\", roles: [\"viewer\"]}) { secret token { id } } }");
        var token = created.GetProperty("data").GetProperty("createApiToken").GetProperty("secret").GetString()!;
        var id = created.GetProperty("data").GetProperty("createApiToken").GetProperty("token").GetProperty("id").GetString()!;
        for (var i = 0; i < 5; i++)
        {
            // Both silos answer for the token, whichever of them holds its activation.
            Assert.Equal("roaming", (await PostAsync(b, token, "{ viewer { tokenName } }")).GetProperty("data").GetProperty("viewer").GetProperty("tokenName").GetString());
            Assert.Equal("roaming", (await PostAsync(a, token, "{ viewer { tokenName } }")).GetProperty("data").GetProperty("viewer").GetProperty("tokenName").GetString());
        }

        await PostAsync(a, admin, $"mutation {{ revokeApiToken(input: {{id: \"{id}\"}}) {{ errors {{ code }} }} }}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ viewer { tokenName } }"}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var client = new HttpClient { BaseAddress = b.Http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_token_gets_a_bounded_number_of_WebSocket_connections_and_subscriptions()
    {
        var db = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Security:RateLimits:WebSocketsPerToken"] = "2",
            ["Security:RateLimits:SubscriptionsPerToken"] = "1",
        });
        await silo.WaitReadyAsync();

        await using var first = await Api.GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken);
        await using var second = await Api.GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken);
        var third = await Assert.ThrowsAsync<InvalidOperationException>(() => Api.GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken));
        Assert.Contains("no connection_ack", third.Message, StringComparison.Ordinal);

        // The first subscription holds its slot once it delivers (a replayed event), not after a fixed wait: on a
        // loaded machine its start can take longer than any wait, and the second would take the slot instead.
        await first.SubscribeAsync("a", "subscription { topologyChanged(since: 0) { sequence } }");
        Assert.NotEmpty(await first.CollectAsync("a", items => items.Count > 0, TimeSpan.FromSeconds(60)));
        await second.SubscribeAsync("b", "subscription { topologyChanged { sequence } }");
        var refused = await second.ReceiveAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("error", refused?["type"]?.GetValue<string>());
        Assert.Contains("LIMIT_EXCEEDED", refused!.ToJsonString(), StringComparison.Ordinal);

        // Completing the running one frees its slot; the release follows the complete message, so a subscription
        // sent right after it may still be refused and is asked again.
        await first.SendAsync(new System.Text.Json.Nodes.JsonObject { ["id"] = "a", ["type"] = "complete" });
        System.Text.Json.Nodes.JsonNode? accepted = null;
        for (var attempt = 0; attempt < 20 && accepted?["type"]?.GetValue<string>() != "next"; attempt++)
        {
            await second.SubscribeAsync("c" + attempt, "subscription { topologyChanged(since: 0) { sequence } }");
            accepted = await second.ReceiveAsync(TimeSpan.FromSeconds(30));
            if (accepted?["type"]?.GetValue<string>() == "error")
            {
                await Task.Delay(250);
            }
        }

        Assert.Equal("next", accepted?["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_tenant_gets_a_bounded_number_of_subscriptions_whatever_tokens_it_spreads_them_over()
    {
        var db = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string> { ["Security:RateLimits:SubscriptionsPerTenant"] = "1" });
        await silo.WaitReadyAsync();
        var created = await PostAsync(silo, silo.AdminToken, "mutation { createApiToken(input: {name: \"second\", roles: [\"viewer\"]}) { secret } }");
        var second = created.GetProperty("data").GetProperty("createApiToken").GetProperty("secret").GetString()!;

        await using var first = await Api.GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken);
        await first.SubscribeAsync("a", "subscription { topologyChanged(since: 0) { sequence } }");
        Assert.NotEmpty(await first.CollectAsync("a", items => items.Count > 0, TimeSpan.FromSeconds(60)));

        // Another token of the tenant, well under its own quota, meets the tenant's.
        await using var other = await Api.GraphQLSocket.ConnectAsync(silo.HttpPort, second);
        await other.SubscribeAsync("b", "subscription { topologyChanged { sequence } }");
        var refused = await other.ReceiveAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("error", refused?["type"]?.GetValue<string>());
        Assert.Equal("b", refused?["id"]?.GetValue<string>());
        var error = refused!["payload"]![0]!;
        Assert.Equal("LIMIT_EXCEEDED", error["extensions"]?["code"]?.GetValue<string>());
        Assert.Contains("Security:RateLimits:SubscriptionsPerTenant", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<System.Text.Json.JsonElement> PostAsync(SiloProcess silo, string token, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(new System.Text.Json.Nodes.JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var client = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<(int Exit, string Output)> RunTokenCommandAsync(string connectionString, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(RepoPaths.SiloDll);
        psi.ArgumentList.Add("token");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["ConnectionStrings__Pdsno"] = connectionString;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
