using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>
/// The failed-authentication lock-out behind a reverse proxy: it refuses what cannot verify and lets valid tokens
/// through, trusted proxies are given as CIDR ranges, and IPv6 clients count by /64. Clients are told apart by the
/// X-Forwarded-For the (trusted) loopback proxy sends.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class LockoutTests(PostgresFixture postgres, LockoutTests.ProxiedSilo host) : IClassFixture<LockoutTests.ProxiedSilo>, IAsyncLifetime
{
    private const string Query = "{\"query\":\"{ viewer { tenant } }\"}";

    private SiloProcess Silo => host.Silo!;

    public Task InitializeAsync() => host.StartAsync(postgres);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_broken_client_behind_a_proxy_does_not_lock_out_the_others_behind_it()
    {
        const string Proxied = "198.51.100.7";
        var broken = RandomToken();
        await LockOutAsync(Proxied, broken);

        // Someone else behind the same proxy, whose token this silo has not seen before, is let in (before: 429).
        var valid = await CreateViewerTokenAsync("behind-the-proxy");
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Proxied, valid));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Proxied, valid));

        // The broken client stays refused unread, and so does a malformed token.
        Assert.Equal(HttpStatusCode.TooManyRequests, await WhileLockedOutAsync(Proxied, broken, broken));
        Assert.Equal(HttpStatusCode.TooManyRequests, await WhileLockedOutAsync(Proxied, "pdsno_not-a-token", broken));

        // Another client of the proxy is not locked out with it: the forwarded address counts, from a proxy given as a CIDR range.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("198.51.100.8", RandomToken()));
    }

    [Fact]
    public async Task A_prober_behind_a_proxy_is_refused_while_tokens_in_use_keep_working()
    {
        const string Proxied = "198.51.100.20";
        var valid = await CreateViewerTokenAsync("in-use");
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Proxied, valid));

        // A prober tries one unknown token after another until the address is locked out.
        await LockOutAsync(Proxied);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Proxied, valid));
        Assert.Equal(HttpStatusCode.TooManyRequests, await WhileLockedOutAsync(Proxied, RandomToken()));
        Assert.Equal(HttpStatusCode.TooManyRequests, await WhileLockedOutAsync(Proxied, "pdsno_not-a-token"));
    }

    [Fact]
    public async Task IPv6_clients_are_limited_per_64_bit_prefix()
    {
        await LockOutAsync("2001:db8:1:2::1");

        // Another address of the same /64 is the same client; the next /64 is another.
        Assert.Equal(HttpStatusCode.TooManyRequests, await WhileLockedOutAsync("2001:db8:1:2:ffff:ffff:ffff:5", "pdsno_not-a-token", relockFrom: "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("2001:db8:1:3::1", "pdsno_not-a-token"));
    }

    /// <summary>Presents <paramref name="token"/> (or distinct unknown tokens) from <paramref name="client"/> until it is refused with 429.</summary>
    private async Task LockOutAsync(string client, string? token = null)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await PostAsync(client, token ?? RandomToken()) == HttpStatusCode.TooManyRequests)
            {
                return;
            }
        }

        Assert.Fail($"{client} was never locked out");
    }

    /// <summary>
    /// The status of presenting <paramref name="token"/> from <paramref name="client"/> right after locking it out
    /// (from <paramref name="relockFrom"/>, with <paramref name="relockWith"/> or distinct unknown tokens). The failure
    /// allowance refills one every ten seconds; a refill landing between the two requests would let one attempt
    /// through, so a 401 is retried after locking out again.
    /// </summary>
    private async Task<HttpStatusCode> WhileLockedOutAsync(string client, string token, string? relockWith = null, string? relockFrom = null)
    {
        var status = HttpStatusCode.Unauthorized;
        for (var attempt = 0; attempt < 3 && status == HttpStatusCode.Unauthorized; attempt++)
        {
            await LockOutAsync(relockFrom ?? client, relockWith);
            status = await PostAsync(client, token);
        }

        return status;
    }

    private async Task<HttpStatusCode> PostAsync(string forwardedFor, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(Query, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> CreateViewerTokenAsync(string name)
    {
        var body = "{\"query\":\"mutation { createApiToken(input: {name: \\\"" + name + "\\\", roles: [\\\"viewer\\\"]}) { secret } }\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Silo.AdminToken);
        using var response = await host.Client.SendAsync(request);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return json?["data"]?["createApiToken"]?["secret"]?.GetValue<string>() ?? throw new InvalidOperationException("token not created: " + json?.ToJsonString());
    }

    private static string RandomToken() =>
        $"pdsno_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";

    /// <summary>One silo for the class: few failures allowed per address, and the loopback proxy trusted as a CIDR range.</summary>
    public sealed class ProxiedSilo : IAsyncLifetime, IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public SiloProcess? Silo { get; private set; }

        public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

        public async Task StartAsync(PostgresFixture postgres)
        {
            await _gate.WaitAsync();
            try
            {
                if (Silo is not null)
                {
                    return;
                }

                var silo = SiloProcess.Start(await postgres.CreateDatabaseAsync(), new Dictionary<string, string>
                {
                    ["Simulation:Devices"] = "4",
                    ["Simulation:Regions"] = "1",
                    ["Security:RateLimits:PerAddressPerSecond"] = "10000",
                    ["Security:RateLimits:PerAddressBurst"] = "10000",
                    ["Security:RateLimits:FailedAuthenticationsPerAddressPerMinute"] = "5",
                    ["Security:TrustedProxies:0"] = "127.0.0.0/8",
                    ["Security:TrustedProxies:1"] = "::1",
                });
                await silo.WaitReadyAsync();
                Client.BaseAddress = silo.Http.BaseAddress;
                Silo = silo;
            }
            finally
            {
                _gate.Release();
            }
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            Client.Dispose();
            if (Silo is not null)
            {
                await Silo.DisposeAsync();
            }
        }

        public void Dispose() => _gate.Dispose();
    }
}
