using System.Diagnostics;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Intents;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Analytics;

/// <summary>
/// The closed loop on a real silo, PostgreSQL and the simulated network: history in which one link of an installed
/// intent's path ramps towards line rate makes the periodic analysis predict congestion there; the loop moves the
/// intent onto a path avoiding the link and installs it at once where the region's loop is AUTO, and proposes the
/// reroute to an approver where it is PROPOSE, each step an event.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ClosedLoopTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string Intent = "query($id: ID!) { intent(id: $id) { key state path { linkKeys } changeKeys history { to note changeKey } } }";
    private const string SetPolicy = "mutation($input: SetAnalyticsPolicyInput!) { setAnalyticsPolicy(input: $input) { policy { analytics { closedLoop closedLoopRegions { regionId mode } } } errors { code message field } } }";

    [Fact]
    public async Task A_link_predicted_to_congest_moves_its_intents_installed_at_once_where_the_loop_is_auto_and_proposed_to_an_approver_where_it_is_propose()
    {
        await host.StartAsync(postgres, new Dictionary<string, string> { ["Analytics:AnalysisInterval"] = "00:00:02" }, ownRole: true);
        var (admin, op) = (host.Token("admin"), host.Token("operator"));
        var changes = (await host.DataAsync(admin, "mutation { setChangePolicy(input: {mediumRoles: [], highRegionCount: 100, highDeviceCount: 1000, intentRoutesLow: true}) { errors { message } } }"))["setChangePolicy"]!;
        Assert.Empty(changes["errors"]!.AsArray());

        // Bad rules are named and change nothing; the default loop proposes.
        var twice = (await host.DataAsync(admin, SetPolicy, Policy(new JsonArray(Region("region-2", "OFF"), Region("region-2", "AUTO")))))["setAnalyticsPolicy"]!;
        Assert.Equal("BAD_USER_INPUT", twice["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("region 'region-2' is given twice", twice["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("PROPOSE", (await host.DataAsync(admin, "{ globalPolicy { analytics { closedLoop } } }"))["globalPolicy"]!["analytics"]!["closedLoop"]!.GetValue<string>());

        // The tenant's loop acts on its own; region-2 asks an approver. Only a link ramping to line rate reaches 95%.
        var set = (await host.DataAsync(admin, SetPolicy, Policy(new JsonArray(Region("region-2", "PROPOSE")))))["setAnalyticsPolicy"]!;
        Assert.Empty(set["errors"]!.AsArray());
        Assert.Equal("AUTO", set["policy"]!["analytics"]!["closedLoop"]!.GetValue<string>());
        Assert.Equal("region-2", set["policy"]!["analytics"]!["closedLoopRegions"]![0]!["regionId"]!.GetValue<string>());

        var (autoLink, autoPath) = await InstallAsync(op, "region-1", "loop-auto");
        var (reviewLink, _) = await InstallAsync(op, "region-2", "loop-review");

        const string Backfill = "mutation($input: BackfillHistoryInput) { backfillHistory(input: $input) { samples errors { code message field } } }";
        var unknown = (await host.DataAsync(op, Backfill, new JsonObject { ["input"] = new JsonObject { ["days"] = 1, ["ramps"] = new JsonArray(Ramp("no-such-link", 50)) } }))["backfillHistory"]!;
        Assert.Equal(("NOT_FOUND", "ramps"), (unknown["errors"]![0]!["code"]!.GetValue<string>(), unknown["errors"]![0]!["field"]!.AsArray()[^1]!.GetValue<string>()));
        var filled = (await host.DataAsync(op, Backfill, new JsonObject
        {
            ["input"] = new JsonObject { ["days"] = 9, ["stepSeconds"] = 900, ["ramps"] = new JsonArray(Ramp(autoLink, 100), Ramp(reviewLink, 100)) },
        }))["backfillHistory"]!;
        Assert.Empty(filled["errors"]!.AsArray());

        // The prediction, then what the loop did, in the log: the AUTO link's intent moved off it.
        var acted = await Eventually.ValueAsync(
            async () => (await host.DataAsync(admin, "{ events(types: [INTENTS_REOPTIMIZED], first: 50) { nodes { link region newValue } } }"))["events"]!["nodes"]!.AsArray(),
            nodes => nodes.Any(n => (string?)n!["link"] == autoLink) && nodes.Any(n => (string?)n!["link"] == reviewLink),
            TimeSpan.FromSeconds(120),
            "the loop acting on both ramped links");
        var clock = Stopwatch.StartNew();
        var auto = JsonNode.Parse(acted.First(n => (string?)n!["link"] == autoLink)!["newValue"]!.GetValue<string>())!;
        Assert.Equal("AUTO", auto["mode"]!.GetValue<string>());
        var moved = auto["moved"]!.AsArray().Single(m => (string?)m!["intent"] == "loop-auto")!;
        Assert.Equal(autoPath, moved["oldPath"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.DoesNotContain(autoLink, moved["newPath"]!.AsArray().Select(l => l!.GetValue<string>()));
        var predicted = (await host.DataAsync(admin, "{ events(types: [CONGESTION_PREDICTED], first: 100) { nodes { link } } }"))["events"]!["nodes"]!.AsArray();
        Assert.Contains(predicted, n => (string?)n!["link"] == autoLink);

        // AUTO: the reroute is installed at once by a change of its own, and the intent's history says why. (Another link
        // of the new path may be predicted too, busy in the generated traffic: the intent may move again, in its region.)
        var rerouted = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, Intent, new JsonObject { ["id"] = "loop-auto" }))["intent"]!,
            i => i["state"]!.GetValue<string>() == "INSTALLED" && !Links(i).Contains(autoLink),
            TimeSpan.FromSeconds(30),
            "loop-auto installed off the congesting link");
        Assert.True(rerouted["changeKeys"]!.AsArray().Count >= 2, rerouted.ToJsonString());
        Assert.Contains(rerouted["history"]!.AsArray(), h => h!["note"]?.GetValue<string>().Contains($"closed loop: link {autoLink}", StringComparison.Ordinal) == true);
        var change = (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status sensitivity } }", new JsonObject { ["id"] = rerouted["changeKeys"]![1]!.GetValue<string>() }))["change"]!;
        Assert.Equal(("APPLIED", "LOW"), (change["status"]!.GetValue<string>(), change["sensitivity"]!.GetValue<string>()));
        Console.WriteLine($"closed loop: INTENTS_REOPTIMIZED seen -> intent INSTALLED off the link in {clock.ElapsedMilliseconds} ms (poll included)");

        // PROPOSE: the same reroute waits for an approver, its reason naming the loop.
        var waiting = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, Intent, new JsonObject { ["id"] = "loop-review" }))["intent"]!,
            i => i["state"]!.GetValue<string>() == "PENDING_APPROVAL",
            TimeSpan.FromSeconds(30),
            "loop-review waiting for an approver");
        Assert.DoesNotContain(reviewLink, Links(waiting));
        var proposed = (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status sensitivity reasons } }", new JsonObject { ["id"] = waiting["changeKeys"]!.AsArray()[^1]!.GetValue<string>() }))["change"]!;
        Assert.Equal(("PENDING_APPROVAL", "MEDIUM"), (proposed["status"]!.GetValue<string>(), proposed["sensitivity"]!.GetValue<string>()));
        Assert.Contains(proposed["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains("closed loop", StringComparison.Ordinal));
    }

    // A connectivity intent of 1 Mb/s between two devices two hops apart in the region, installed; its first link and path.
    private async Task<(string Link, List<string> Path)> InstallAsync(string token, string region, string key)
    {
        var (a, b) = await FarApart.PickAsync(host, 0, region);
        var input = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["key"] = key,
                ["kind"] = "CONNECTIVITY",
                ["connectivity"] = new JsonObject
                {
                    ["a"] = new JsonObject { ["deviceId"] = a, ["prefix"] = $"10.{(region == "region-1" ? 91 : 92)}.0.0/24" },
                    ["b"] = new JsonObject { ["deviceId"] = b, ["prefix"] = $"10.{(region == "region-1" ? 91 : 92)}.1.0/24" },
                    ["minBandwidthBps"] = 1_000_000,
                    ["stayWithinRegionIds"] = new JsonArray(region),
                },
            },
        };
        var created = (await host.DataAsync(token, "mutation($input: IntentInput!) { createIntent(input: $input) { intent { state path { linkKeys } } errors { message } } }", input))["createIntent"]!;
        Assert.Empty(created["errors"]!.AsArray());
        Assert.Equal("INSTALLED", created["intent"]!["state"]!.GetValue<string>());
        var path = Links(created["intent"]!);
        return (path[0], path);
    }

    private static List<string> Links(JsonNode intent) => [.. intent["path"]!["linkKeys"]!.AsArray().Select(l => l!.GetValue<string>())];

    private static JsonObject Policy(JsonArray regions) => new()
    {
        ["input"] = new JsonObject { ["closedLoop"] = "AUTO", ["congestionThresholdPercent"] = 95, ["closedLoopRegions"] = regions },
    };

    private static JsonObject Region(string region, string mode) => new() { ["regionId"] = region, ["mode"] = mode };

    private static JsonObject Ramp(string link, double percent) => new() { ["linkId"] = link, ["percent"] = percent };
}
