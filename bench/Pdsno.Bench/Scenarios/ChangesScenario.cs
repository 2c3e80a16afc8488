using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;
using Pdsno.Bench.Hosting;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario: governed changes on the simulated network, over the public GraphQL API with tokens of each role, as
/// operators and approvers would make them: one LOW change at a time (propose, then execute: applied and read back);
/// 1,000 LOW changes on 1,000 devices at once; 100 HIGH changes approved by a global approver and executed; and a
/// 50-device change whose 50th target fails, so the 49 applied before it are restored and read back.
/// </summary>
internal static class ChangesScenario
{
    private const string Tenant = "bench";
    private const int Devices = 1_400;
    private const int Regions = 4;
    private const string Result = "{ change { id status } errors { code message } }";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var model = await BenchNetwork.DiscoverAsync(silo, Tenant, options.Seed, Devices, Regions);
        // LOW changes go to access devices: a change to a core or distribution device is at least MEDIUM.
        var devices = model.Devices.Where(d => d.Role == "access").Select(d => (Key: DeviceId.ForChassis(Tenant, d.ChassisId).Device, d.Region)).ToList();
        if (devices.Count < 1_101)
        {
            throw new InvalidOperationException($"changes: the generated network has {devices.Count} access devices, 1,101 are needed");
        }

        var grains = devices.Select(d => silo.Grains.GetGrain<IDeviceGrain>(new DeviceId(Tenant, d.Key).ToString())).ToList();
        await Wait.UntilAsync(async () => (await Task.WhenAll(grains.Select(g => g.GetConfigAsync()))).All(v => v is not null), TimeSpan.FromMinutes(2), 500);

        using var http = new HttpClient { BaseAddress = new Uri(silo.HttpAddress), Timeout = TimeSpan.FromMinutes(2) };
        var api = new Api(http, await silo.IssueTokenAsync(Tenant, Roles.Operator), await silo.IssueTokenAsync(Tenant, Roles.GlobalApprover));

        // Warm-up: every path once, then one change on each device the timed loop uses, so the loop times a silo in
        // its steady state (code compiled, grains active, each simulated device already holding config of its own).
        await api.LowAsync(devices[0].Key, "warm-up");
        for (var i = 0; i < 100; i++)
        {
            await api.LowAsync(devices[1 + i].Key, "warm-up");
        }

        var one = new List<double>();
        var (gcs, paused) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
        var committed = await CommittedAsync(silo);
        for (var i = 0; i < options.ChangesSingle; i++)
        {
            var watch = Stopwatch.StartNew();
            await api.LowAsync(devices[1 + (i % 100)].Key, $"rack {i}");
            one.Add(watch.Elapsed.TotalMilliseconds);
        }

        committed = await CommittedAsync(silo) - committed;
        (gcs, paused) = (GC.CollectionCount(0) - gcs, GC.GetTotalPauseDuration() - paused);

        report.Figure("changes.one_low_change_propose_to_applied_p50_ms", Wait.Percentile(one, 50), "ms");
        report.Figure("changes.one_low_change_propose_to_applied_p99_ms", Wait.Percentile(one, 99), "ms", "p99 <= 50 ms");
        report.Figure("changes.one_low_change_postgres_transactions", committed / (double)Math.Max(1, options.ChangesSingle), "transactions");
        Console.Error.WriteLine("changes: slowest single changes (ms): " + string.Join(", ", one.OrderDescending().Take(6).Select(x => x.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
        report.Figure("changes.one_low_change_loop_gc_collections", gcs, "collections");
        report.Figure("changes.one_low_change_loop_gc_pause_total_ms", paused.TotalMilliseconds, "ms");

        var bulk = devices.Skip(100).Take(1_000).ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(bulk.Select(d => api.LowAsync(d.Key, "bulk")));
        report.Figure("changes.low_1000_devices_at_once_total_s", clock.Elapsed.TotalSeconds, "s", "<= 5 s");

        // HIGH: each change touches one device in each of two regions.
        var byRegion = devices.GroupBy(d => d.Region).Select(g => g.Select(d => d.Key).ToList()).ToList();
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => api.HighAsync(byRegion[0][i], byRegion[1][i], $"noc {i}")));
        report.Figure("changes.high_100_approved_and_executed_total_s", clock.Elapsed.TotalSeconds, "s", "<= 5 s");

        var fifty = byRegion[2].Take(50).ToList();
        await api.DataAsync(api.Operator, "mutation($d: ID!) { setConfigFault(input: {deviceId: $d, applyFails: true}) { errors { code message } } }", new JsonObject { ["d"] = fifty[^1] });
        var (executed, executeMs, restoreMs) = await api.FailingAsync(fifty);
        report.Figure("changes.fifty_device_change_50th_fails_failure_to_49_restored_ms", restoreMs, "ms", "<= 2000 ms");
        report.Figure("changes.fifty_device_change_50th_fails_execute_to_restored_ms", executeMs, "ms");
        Report.Note($"changes: the 50-device change ended {executed}; its execution (49 applied and read back, the 50th refused, 49 restored in reverse and read back) took {executeMs:F0} ms; " +
            $"{options.ChangesSingle} single LOW changes after 100 untimed ones (one per device the loop uses), each one proposeChange request with execute: true, timed to its answer (applied and read back); figures over HTTP on loopback with audit records, tokens and the real projection");
    }

    // Every transaction the database committed, discovery's in the background included. A pooled connection that is
    // idle reports its count to the statistics within 10 s, so the count waits that long.
    private static async Task<long> CommittedAsync(BenchSilo silo)
    {
        await Task.Delay(TimeSpan.FromSeconds(11));
        await using var connection = new Npgsql.NpgsqlConnection(silo.ConnectionString);
        await connection.OpenAsync();
        await using var read = new Npgsql.NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await read.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    private sealed class Api(HttpClient http, string operatorToken, string approverToken)
    {
        public string Operator => operatorToken;

        // Proposed and executed in one request, as an operator with a LOW change does.
        public async Task LowAsync(string device, string location)
        {
            var data = await DataAsync(operatorToken, $"mutation($t: [ChangeTargetInput!]!) {{ proposeChange(input: {{title: \"bench\", reason: \"bench\", execute: true, targets: $t}}) {Result} }}", new JsonObject { ["t"] = new JsonArray(Target(device, location)) });
            var change = Change(data["proposeChange"]!);
            if (change["status"]!.GetValue<string>() != "APPLIED")
            {
                throw new InvalidOperationException($"changes: proposeChange with execute left change {change["id"]} {change["status"]}, not APPLIED");
            }
        }

        public async Task HighAsync(string a, string b, string contact)
        {
            var id = await ProposeAsync(Target(a, contact, "contact"), Target(b, contact, "contact"));
            await ExpectAsync(approverToken, "approveChange", id, "APPROVED");
            await ExpectAsync(operatorToken, "executeChange", id, "APPLIED");
        }

        // The restore time runs from the failed target's result to the last restore read back, as the change records them.
        public async Task<(string Status, double Ms, double RestoreMs)> FailingAsync(IReadOnlyList<string> devices)
        {
            var id = await ProposeAsync([.. devices.Select((d, i) => Target(d, $"failing {i}"))]);
            await ExpectAsync(approverToken, "approveChange", id, "APPROVED");
            var watch = Stopwatch.StartNew();
            var status = await ActAsync(operatorToken, "executeChange", id);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            var targets = (await DataAsync(operatorToken, "query($id: ID!) { change(id: $id) { targets { result { status at } rollback { status at } } } }", new JsonObject { ["id"] = id }))["change"]!["targets"]!.AsArray();
            var failedAt = targets.Select(t => t!["result"]).Where(r => r is not null && r["status"]!.GetValue<string>() != "APPLIED").Select(r => r!["at"]!.GetValue<DateTimeOffset>()).Min();
            var restoredAt = targets.Select(t => t!["rollback"]).Where(r => r is not null).Select(r => r!["at"]!.GetValue<DateTimeOffset>()).Max();
            return (status, elapsed, (restoredAt - failedAt).TotalMilliseconds);
        }

        public async Task<JsonNode> DataAsync(string token, string query, JsonObject variables)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent(new JsonObject { ["query"] = query, ["variables"] = variables }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = JsonNode.Parse(text)!;
            if (!response.IsSuccessStatusCode || json["errors"] is JsonArray { Count: > 0 })
            {
                throw new InvalidOperationException($"changes: {(int)response.StatusCode}: {text}");
            }

            return json["data"]!;
        }

        // By global id, as an integrator holding Device.id sends it.
        private static JsonObject Target(string device, string value, string field = "location") =>
            new() { ["deviceId"] = Pdsno.GraphQL.Relay.GlobalId.Encode(Pdsno.GraphQL.Relay.GlobalId.Device, device), ["patch"] = new JsonObject { [field] = value } };

        private async Task<string> ProposeAsync(params JsonObject[] targets)
        {
            var data = await DataAsync(operatorToken, $"mutation($t: [ChangeTargetInput!]!) {{ proposeChange(input: {{title: \"bench\", reason: \"bench\", targets: $t}}) {Result} }}", new JsonObject { ["t"] = new JsonArray(targets) });
            return Change(data["proposeChange"]!)["id"]!.GetValue<string>();
        }

        private async Task ExpectAsync(string token, string field, string id, string status)
        {
            var actual = await ActAsync(token, field, id);
            if (actual != status)
            {
                throw new InvalidOperationException($"changes: {field} left change {id} {actual}, not {status}");
            }
        }

        private async Task<string> ActAsync(string token, string field, string id)
        {
            var data = await DataAsync(token, $"mutation($id: ID!) {{ {field}(input: {{changeId: $id}}) {Result} }}", new JsonObject { ["id"] = id });
            return Change(data[field]!)["status"]!.GetValue<string>();
        }

        private static JsonNode Change(JsonNode payload) =>
            payload["errors"] is JsonArray { Count: > 0 } errors
                ? throw new InvalidOperationException("changes: " + errors.ToJsonString())
                : payload["change"]!;
    }
}
