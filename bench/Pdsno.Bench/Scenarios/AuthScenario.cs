using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pdsno.Abstractions.Security;
using Pdsno.Bench.Hosting;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario 7: what authentication and authorization add to a query. One silo with a small network serves the same
/// small queries over the same HTTP transport (a) at <c>/graphql</c> with a viewer token, through token verification,
/// the per-token limit, the authorization rule and the grain-boundary checks, and (b) at a bench-only path that skips
/// them; requests alternate between the two so both see the same machine, caches and moment.
/// </summary>
internal static class AuthScenario
{
    public const string Tenant = "bench";
    private const int Devices = 60;
    private const int WarmUp = 300;

    private const string RegionsQuery = "{ regions(first: 5) { totalCount } }";
    private const string DeviceQuery = "query($id: ID!) { device(id: $id) { name status } }";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        await BenchNetwork.DiscoverAsync(silo, Tenant, options.Seed, Devices, 2);
        var token = await silo.IssueTokenAsync(Tenant, Roles.Viewer);
        using var http = new HttpClient { BaseAddress = new Uri(silo.HttpAddress) };
        var authorization = new AuthenticationHeaderValue("Bearer", token);

        var page = await PostAsync(http, "/graphql", authorization, Body("{ devices(first: 1) { edges { node { id } } } }", null));
        var deviceId = page["devices"]!["edges"]![0]!["node"]!["id"]!.GetValue<string>();

        foreach (var (name, body) in new[]
        {
            ("regions_total_count", Body(RegionsQuery, null)),
            ("device_by_id", Body(DeviceQuery, new JsonObject { ["id"] = deviceId })),
        })
        {
            // Both paths must answer the same, or the comparison means nothing.
            var with = await PostAsync(http, "/graphql", authorization, body);
            var without = await PostAsync(http, UnauthenticatedPathUserContextFactory.Path, null, body);
            if (with.ToJsonString() != without.ToJsonString())
            {
                throw new InvalidOperationException($"auth: the two paths answer differently: {with.ToJsonString()} vs {without.ToJsonString()}");
            }

            for (var i = 0; i < WarmUp; i++)
            {
                await TimeAsync(http, "/graphql", authorization, body);
                await TimeAsync(http, UnauthenticatedPathUserContextFactory.Path, null, body);
            }

            var withTimes = new List<double>(options.AuthIterations);
            var withoutTimes = new List<double>(options.AuthIterations);
            for (var i = 0; i < options.AuthIterations; i++)
            {
                // Alternate which goes first, so neither always follows the other.
                if (i % 2 == 0)
                {
                    withTimes.Add(await TimeAsync(http, "/graphql", authorization, body));
                    withoutTimes.Add(await TimeAsync(http, UnauthenticatedPathUserContextFactory.Path, null, body));
                }
                else
                {
                    withoutTimes.Add(await TimeAsync(http, UnauthenticatedPathUserContextFactory.Path, null, body));
                    withTimes.Add(await TimeAsync(http, "/graphql", authorization, body));
                }
            }

            var withP95 = Wait.Percentile(withTimes, 95);
            var withoutP95 = Wait.Percentile(withoutTimes, 95);
            report.Figure($"auth.{name}_with_auth_p50_ms", Wait.Percentile(withTimes, 50), "ms");
            report.Figure($"auth.{name}_with_auth_p95_ms", withP95, "ms");
            report.Figure($"auth.{name}_without_auth_p50_ms", Wait.Percentile(withoutTimes, 50), "ms");
            report.Figure($"auth.{name}_without_auth_p95_ms", withoutP95, "ms");
            report.Figure($"auth.{name}_added_p95_ms", withP95 - withoutP95, "ms", "< 1 ms");
        }

        Report.Note($"auth: {options.AuthIterations} requests per path and query after {WarmUp} warm-up requests each, alternating paths, one client over loopback HTTP; " +
            "with auth: viewer token verified by its grain, per-token limit, authorization rule, grain-boundary checks; without: a bench-only path with a fixed system caller of the same tenant");
    }

    private static string Body(string query, JsonObject? variables) =>
        new JsonObject { ["query"] = query, ["variables"] = variables ?? new JsonObject() }.ToJsonString();

    private static async Task<double> TimeAsync(HttpClient http, string path, AuthenticationHeaderValue? authorization, string body)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = Request(path, authorization, body);
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode || bytes.AsSpan().IndexOf("\"errors\""u8) >= 0)
        {
            throw new InvalidOperationException($"auth: {path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        }

        return elapsed;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, AuthenticationHeaderValue? authorization, string body)
    {
        using var request = Request(path, authorization, body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!;
        if (!response.IsSuccessStatusCode || json["errors"] is JsonArray { Count: > 0 })
        {
            throw new InvalidOperationException($"auth: {path} answered {(int)response.StatusCode}: {text}");
        }

        return json["data"]!;
    }

    private static HttpRequestMessage Request(string path, AuthenticationHeaderValue? authorization, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = authorization;
        return request;
    }
}
