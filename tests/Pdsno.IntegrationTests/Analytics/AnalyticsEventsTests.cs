using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Analytics;

/// <summary>
/// The periodic analysis on a real silo: links with enough history raise CONGESTION_PREDICTED once per direction under
/// the tenant's policy threshold and clear it when the forecast no longer reaches it; links without history raise nothing;
/// the events are in the tenant's log, replayable through <c>analyticsEvents(since)</c>, and region-scoped.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class AnalyticsEventsTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string SetPolicy = "mutation($input: SetAnalyticsPolicyInput!) { setAnalyticsPolicy(input: $input) { policy { version analytics { congestionThresholdPercent congestionHorizonSeconds minuteRetentionDays hourlyRetentionDays } } errors { code message } } }";

    [Fact]
    public async Task Congestion_is_predicted_once_per_direction_under_the_policy_threshold_and_cleared_when_the_policy_changes()
    {
        await host.StartAsync(postgres, new Dictionary<string, string> { ["Analytics:AnalysisInterval"] = "00:00:02" }, ownRole: true);
        var (admin, q) = (host.Token("admin"), new ReadModelQueries(host.OwnerConnectionString));
        await host.DataAsync(host.Token("operator"), "mutation { backfillHistory(input: {regionId: \"region-1\", days: 9, stepSeconds: 900}) { samples errors { code } } }");

        // Bad rules are named and change nothing.
        var refused = (await host.DataAsync(admin, SetPolicy, new JsonObject { ["input"] = new JsonObject { ["hourlyRetentionDays"] = 3 } }))["setAnalyticsPolicy"]!;
        Assert.Equal("BAD_USER_INPUT", refused["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("hourlyRetentionDays 3", refused["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A threshold every forecast reaches: each direction of each link with history raises one event.
        var set = (await host.DataAsync(admin, SetPolicy, new JsonObject { ["input"] = new JsonObject { ["congestionThresholdPercent"] = 0.5 } }))["setAnalyticsPolicy"]!;
        Assert.Empty(set["errors"]!.AsArray());
        Assert.Equal((0.5, 86_400, 7, 90), (set["policy"]!["analytics"]!["congestionThresholdPercent"]!.GetValue<double>(), set["policy"]!["analytics"]!["congestionHorizonSeconds"]!.GetValue<int>(),
            set["policy"]!["analytics"]!["minuteRetentionDays"]!.GetValue<int>(), set["policy"]!["analytics"]!["hourlyRetentionDays"]!.GetValue<int>()));

        var withHistory = await q.ScalarAsync("SELECT count(*) FROM links l JOIN devices d ON d.tenant = l.tenant AND d.device = l.device_a WHERE d.region = 'region-1'");
        Assert.True(withHistory > 0);
        const string Predicted = "SELECT count(*) FROM events WHERE type = 'CongestionPredicted'";
        await Eventually.ValueAsync(() => q.ScalarAsync(Predicted), n => n == 2 * withHistory, TimeSpan.FromSeconds(90), $"{2 * withHistory} predictions");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(2 * withHistory, await q.ScalarAsync(Predicted));
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM events e JOIN devices d ON d.tenant = e.tenant AND d.device = e.device WHERE e.type = 'CongestionPredicted' AND d.region <> 'region-1'"));
        Assert.Equal(withHistory, await q.ScalarAsync("SELECT count(DISTINCT link) FROM events WHERE type = 'CongestionPredicted'"));

        // What a subscriber sees, replayed from the log: the link, the expected time and the confidence.
        await using var socket = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, host.Token("viewer"));
        await socket.SubscribeAsync("a", "subscription { analyticsEvents(since: 0) { sequence type link device newValue actor } }");
        var replayed = await socket.CollectAsync("a", items => items.Count >= 2 * withHistory, TimeSpan.FromSeconds(30));
        Assert.Equal(2 * withHistory, replayed.Count);
        foreach (var item in replayed.Select(i => i["analyticsEvents"]!))
        {
            Assert.Equal("CONGESTION_PREDICTED", item["type"]!.GetValue<string>());
            Assert.NotNull(item["link"]);
            var value = JsonNode.Parse(item["newValue"]!.GetValue<string>())!;
            Assert.Matches("^(A_TO_B|B_TO_A)$", value["direction"]!.GetValue<string>());
            Assert.InRange(value["confidence"]!.GetValue<double>(), 0, 1);
            // A direction already predicted under the default 80% (the generated traffic has busy links) is not raised again at 0.5%.
            Assert.Contains(value["thresholdPercent"]!.GetValue<double>(), (double[])[0.5, 80]);
            Assert.True(DateTimeOffset.Parse(value["expectedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow.AddDays(1));
        }

        // Most links carry far more than 0.5%: the load itself, not only its 95th percentile, is expected there.
        Assert.True(replayed.Count(i => JsonNode.Parse(i["analyticsEvents"]!["newValue"]!.GetValue<string>())!["confidence"]!.GetValue<double>() > 0.9) > withHistory);

        // At 100% only the busiest directions (whose 95th percentile still reaches line rate) stay predicted; the others
        // are cleared, each once.
        await host.DataAsync(admin, SetPolicy, new JsonObject { ["input"] = new JsonObject { ["congestionThresholdPercent"] = 100 } });
        var clearedCount = await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'CongestionCleared'"), n => n > withHistory, TimeSpan.FromSeconds(60), "most predictions cleared");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM (SELECT 1 FROM events WHERE type = 'CongestionCleared' GROUP BY link, new_value HAVING count(*) > 1) twice"));
        var cleared = await socket.CollectAsync("a", items => items.Count >= clearedCount, TimeSpan.FromSeconds(30));
        Assert.True(cleared.Count >= clearedCount);
        Assert.All(cleared, c => Assert.Equal("CONGESTION_CLEARED", c["analyticsEvents"]!["type"]!.GetValue<string>()));

        // A token limited to region-2 sees none of region-1's analytics.
        var r2 = await host.CreateTokenAsync(admin, "viewer-r2", ["viewer"], ["region-2"]);
        var scoped = await host.DataAsync(r2, "{ events(types: [CONGESTION_PREDICTED, CONGESTION_CLEARED], first: 100) { totalCount } }");
        Assert.Equal(0, scoped["events"]!["totalCount"]!.GetValue<int>());

        // Anomalies are listed from the same log, region-scoped, and a window the wrong way round is named.
        var anomalies = await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'AnomalyDetected' AND region = 'region-1'");
        Assert.Equal(anomalies, (await host.DataAsync(admin, "{ anomalies(first: 100, filter: {regionId: \"region-1\"}) { totalCount } }"))["anomalies"]!["totalCount"]!.GetValue<long>());
        Assert.Equal(0, (await host.DataAsync(r2, "{ anomalies(first: 100) { totalCount } }"))["anomalies"]!["totalCount"]!.GetValue<int>());
        var (_, body) = await host.PostAsync(admin, "{ anomalies(first: 1, filter: {from: \"2026-12-02T00:00:00Z\", to: \"2026-12-01T00:00:00Z\"}) { totalCount } }");
        Assert.Equal(["BAD_USER_INPUT"], SecuredSilo.Codes(body));
    }
}
