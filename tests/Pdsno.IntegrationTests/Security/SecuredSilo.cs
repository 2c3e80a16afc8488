using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>One silo with a 30-device simulated network in regions region-1 and region-2, shared by a test class, and tokens of every role.</summary>
public sealed class SecuredSilo : IAsyncLifetime, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public HttpClient Anonymous { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string ConnectionString { get; private set; } = "";

    /// <summary>The database's owner (the test server's superuser); the silo's own when it has no role of its own.</summary>
    public string OwnerConnectionString { get; private set; } = "";

    /// <summary>
    /// Starts the silo once, waits for discovery, and creates the role tokens. With <paramref name="ownRole"/> the silo
    /// runs as the README's setup has it: the schema applied by its owner (<c>Pdsno.Silo migrate</c>), the silo
    /// connected as a role of its own that owns nothing.
    /// </summary>
    public async Task<SecuredSilo> StartAsync(PostgresFixture postgres, IDictionary<string, string>? settings = null, bool ownRole = false)
    {
        await _gate.WaitAsync();
        try
        {
            if (_silo is not null)
            {
                return this;
            }

            ConnectionString = OwnerConnectionString = await postgres.CreateDatabaseAsync();
            if (ownRole)
            {
                ConnectionString = await SiloCommand.SiloRoleAsync(OwnerConnectionString);
            }

            var all = new Dictionary<string, string>
            {
                ["Discovery:Interval"] = "00:00:01",
                ["Simulation:Devices"] = "30",
                ["Simulation:Regions"] = "2",
                ["Security:RateLimits:PerAddressPerSecond"] = "10000",
                ["Security:RateLimits:PerAddressBurst"] = "10000",
                ["Security:RateLimits:FailedAuthenticationsPerAddressPerMinute"] = "10000",
            };
            foreach (var (k, v) in settings ?? new Dictionary<string, string>())
            {
                all[k] = v;
            }

            _silo = SiloProcess.Start(ConnectionString, all);
            await _silo.WaitReadyAsync();
            Anonymous.BaseAddress = _silo.Http.BaseAddress;
            var q = new ReadModelQueries(ConnectionString);
            await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 30, TimeSpan.FromSeconds(60), "30 active devices");
            _tokens["admin"] = _silo.AdminToken;
            foreach (var role in new[] { "viewer", "operator", "region-approver", "global-approver" })
            {
                _tokens[role] = await CreateTokenAsync(_silo.AdminToken, role, [role]);
            }

            _tokens["operator@r1"] = await CreateTokenAsync(_silo.AdminToken, "operator-r1", ["operator"], ["region-1"]);
            return this;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The token of a role name, or of <c>operator@r1</c> (an operator limited to region-1).</summary>
    public string Token(string who) => _tokens[who];

    /// <summary>Creates a token with an admin token; returns the presented form.</summary>
    public async Task<string> CreateTokenAsync(string adminToken, string name, string[] roles, string[]? regions = null, DateTimeOffset? expiresAt = null)
    {
        var variables = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["name"] = name,
                ["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]),
                ["regions"] = regions is null ? null : new JsonArray([.. regions.Select(r => JsonValue.Create(r))]),
                ["expiresAt"] = expiresAt?.ToString("O"),
            },
        };
        var (status, body) = await PostAsync(adminToken, "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret errors { code message } } }", variables);
        var secret = body?["data"]?["createApiToken"]?["secret"]?.GetValue<string>();
        return secret ?? throw new InvalidOperationException($"token not created ({status}): {body?.ToJsonString()}");
    }

    /// <summary>POSTs a GraphQL request with <paramref name="token"/> (none when null); the status and parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string? token, string query, JsonObject? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query, ["variables"] = variables ?? new JsonObject() }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The data of a request that must succeed without errors.</summary>
    public async Task<JsonNode> DataAsync(string token, string query, JsonObject? variables = null)
    {
        var (status, body) = await PostAsync(token, query, variables);
        if (status != HttpStatusCode.OK || body?["errors"] is JsonArray { Count: > 0 })
        {
            throw new InvalidOperationException($"{(int)status}: {body?.ToJsonString()}");
        }

        return body!["data"]!;
    }

    /// <summary>The error codes of a response (top-level errors only).</summary>
    public static IReadOnlyList<string> Codes(JsonNode? body) =>
        body?["errors"] is JsonArray errors ? [.. errors.Select(e => e?["extensions"]?["code"]?.GetValue<string>() ?? "")] : [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    public void Dispose() => _gate.Dispose();
}
