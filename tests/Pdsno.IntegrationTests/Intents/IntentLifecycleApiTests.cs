using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Intents;

/// <summary>
/// Stored intents over GraphQL on the real host, PostgreSQL and the simulated network: created and installed through a
/// governed change (routes in the devices' intended config), rerouted when a link of the path goes down, withdrawn with
/// their routes removed, held for an approver when the rules say so, and refused with the field named when the input is
/// bad, with nothing stored.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class IntentLifecycleApiTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string Fields = """
        key state reason reservedBps changeKeys
        path { deviceKeys linkKeys } routes { deviceKey routes { prefix nextHop } }
        history { from to changeKey }
        """;

    private const string Create = "mutation($input: IntentInput!) { createIntent(input: $input) { intent { " + Fields + " } errors { code message field } } }";
    private const string Get = "query($id: ID!) { intent(id: $id) { " + Fields + " } }";

    [Fact]
    public async Task An_intent_is_installed_as_routes_rerouted_when_its_link_goes_down_and_withdrawn_with_its_routes()
    {
        await StartAsync(routesLow: true);
        var (a, b) = await FarApartAsync(0);
        var op = host.Token("operator");

        var created = (await host.DataAsync(op, Create, Input(a, b, 1_000_000, "lifecycle-1")))["createIntent"]!;
        Assert.Empty(created["errors"]!.AsArray());
        var intent = created["intent"]!;
        Assert.Equal("INSTALLED", intent["state"]!.GetValue<string>());
        Assert.Equal(1_000_000, intent["reservedBps"]!.GetValue<long>());
        Assert.Single(intent["changeKeys"]!.AsArray());
        var path = Strings(intent["path"]!["deviceKeys"]!);
        Assert.Equal(a, path[0]);
        Assert.Equal(b, path[^1]);
        await AssertRoutesOnDevicesAsync(intent, present: true);

        // The ledger and the link show the reservation.
        var link = Strings(intent["path"]!["linkKeys"]!)[0];
        var reserved = (await host.DataAsync(op, "query($id: ID!) { link(id: $id) { reservedBps intents { key } } }", new JsonObject { ["id"] = link }))["link"]!;
        Assert.Equal(1_000_000, reserved["reservedBps"]!.GetValue<long>());
        Assert.Contains("lifecycle-1", reserved["intents"]!.AsArray().Select(i => i!["key"]!.GetValue<string>()));

        // The first link of the path goes down: the intent is recompiled around it and its new routes installed.
        await host.DataAsync(op, "mutation($id: ID!) { setLinkDown(input: {id: $id, down: true}) { errors { code } } }", new JsonObject { ["id"] = link });
        JsonNode rerouted;
        try
        {
            rerouted = await Eventually.ValueAsync(
                async () => (await host.DataAsync(op, Get, new JsonObject { ["id"] = "lifecycle-1" }))["intent"]!,
                i => i["state"]!.GetValue<string>() is "INSTALLED" or "FAILED" && i["path"] is { } p && !Strings(p["linkKeys"]!).Contains(link),
                TimeSpan.FromSeconds(30),
                $"lifecycle-1 installed on a path that avoids {link}");
        }
        finally
        {
            await host.DataAsync(op, "mutation($id: ID!) { setLinkDown(input: {id: $id, down: false}) { errors { code } } }", new JsonObject { ["id"] = link });
        }

        Assert.Equal("INSTALLED", rerouted["state"]!.GetValue<string>());
        Assert.Equal(2, rerouted["changeKeys"]!.AsArray().Count);
        Assert.Contains(rerouted["history"]!.AsArray(), h => (string?)h!["to"] == "RECOMPILING");
        await AssertRoutesOnDevicesAsync(rerouted, present: true);

        var withdrawn = (await host.DataAsync(op, "mutation { withdrawIntent(input: {id: \"lifecycle-1\"}) { intent { " + Fields + " } errors { code } } }"))["withdrawIntent"]!;
        Assert.Empty(withdrawn["errors"]!.AsArray());
        Assert.Equal("WITHDRAWN", withdrawn["intent"]!["state"]!.GetValue<string>());
        Assert.Empty(withdrawn["intent"]!["routes"]!.AsArray());
        await AssertRoutesOnDevicesAsync(rerouted, present: false);
        var freed = (await host.DataAsync(op, "query($id: ID!) { link(id: $id) { reservedBps } }", new JsonObject { ["id"] = Strings(rerouted["path"]!["linkKeys"]!)[0] }))["link"]!;
        Assert.Equal(0, freed["reservedBps"]!.GetValue<long>());

        var listed = (await host.DataAsync(op, "{ intents(first: 10, filter: {state: WITHDRAWN}) { totalCount nodes { key } } }"))["intents"]!;
        Assert.Contains("lifecycle-1", listed["nodes"]!.AsArray().Select(n => n!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Intents_created_together_share_their_changes_and_all_install()
    {
        await StartAsync(routesLow: true);
        var op = host.Token("operator");
        var ends = new List<(string A, string B)>();
        for (var i = 0; i < 12; i++)
        {
            ends.Add(await FarApartAsync(3 + i));
        }

        var created = await Task.WhenAll(ends.Select((e, i) => host.DataAsync(op, Create, Input(e.A, e.B, 0, $"batch-{i}"))));

        var intents = created.Select(c => c["createIntent"]!).ToList();
        Assert.All(intents, c => Assert.Empty(c["errors"]!.AsArray()));
        Assert.All(intents, c => Assert.Equal("INSTALLED", c["intent"]!["state"]!.GetValue<string>()));
        foreach (var intent in intents)
        {
            await AssertRoutesOnDevicesAsync(intent["intent"]!, present: true);
        }

        // The first change starts alone; the intents that arrive while it runs wait and go together in the next.
        var changes = intents.Select(c => c["intent"]!["changeKeys"]![0]!.GetValue<string>()).Distinct().ToList();
        Assert.True(changes.Count < intents.Count, $"{intents.Count} intents made {changes.Count} changes");
        var shared = changes.Count == 0 ? null : (await Task.WhenAll(changes.Select(async id =>
            (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status intentKeys } }", new JsonObject { ["id"] = id }))["change"]!))).MaxBy(c => c["intentKeys"]!.AsArray().Count)!;
        Assert.Equal("APPLIED", shared!["status"]!.GetValue<string>());
        Assert.True(shared["intentKeys"]!.AsArray().Count > 1);
        Assert.All(shared["intentKeys"]!.AsArray(), k => Assert.StartsWith("batch-", k!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_stores_nothing()
    {
        await StartAsync(routesLow: true);
        var (a, b) = await FarApartAsync(1);
        var op = host.Token("operator");
        var before = (await host.DataAsync(op, "{ intents(first: 1) { totalCount } }"))["intents"]!["totalCount"]!.GetValue<int>();

        Assert.Equal("input.connectivity.a.deviceId", await BadFieldAsync(op, Input("no-such-device", b, 0, "bad-1")));
        Assert.Equal("input.connectivity.b", await BadFieldAsync(op, Input(a, a, 0, "bad-2")));
        Assert.Equal("input.connectivity.minBandwidthBps", await BadFieldAsync(op, Input(a, b, -5, "bad-3")));

        Assert.Equal(before, (await host.DataAsync(op, "{ intents(first: 1) { totalCount } }"))["intents"]!["totalCount"]!.GetValue<int>());
        var (_, missing) = await host.PostAsync(op, Get, new JsonObject { ["id"] = "bad-2" });
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(missing));
    }

    [Fact]
    public async Task An_intent_whose_change_needs_an_approver_waits_PENDING_APPROVAL_and_is_installed_once_approved_and_executed()
    {
        await StartAsync(routesLow: false);
        var (a, b) = await FarApartAsync(2);
        var op = host.Token("operator");

        var intent = (await host.DataAsync(op, Create, Input(a, b, 0, "approved-1")))["createIntent"]!["intent"]!;
        Assert.Equal("PENDING_APPROVAL", intent["state"]!.GetValue<string>());
        var change = intent["changeKeys"]![0]!.GetValue<string>();
        await AssertRoutesOnDevicesAsync(intent, present: false, desired: await DesiredRoutesAsync(a, b, "approved-1"));

        var approved = (await host.DataAsync(host.Token("region-approver"), "mutation($id: ID!) { approveChange(input: {changeId: $id}) { change { status } errors { message } } }", new JsonObject { ["id"] = change }))["approveChange"]!;
        Assert.Equal("APPROVED", approved["change"]!["status"]!.GetValue<string>());
        await host.DataAsync(op, "mutation($id: ID!) { executeChange(input: {changeId: $id}) { errors { message } } }", new JsonObject { ["id"] = change });

        var installed = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, Get, new JsonObject { ["id"] = "approved-1" }))["intent"]!,
            i => i["state"]!.GetValue<string>() == "INSTALLED",
            TimeSpan.FromSeconds(15),
            "approved-1 INSTALLED after its change was executed");
        await AssertRoutesOnDevicesAsync(installed, present: true);
    }

    [Fact]
    public async Task A_region_scoped_token_sees_only_intents_within_its_regions_and_intentUpdated_replays_an_intent_from_the_log()
    {
        await StartAsync(routesLow: true);
        var scoped = host.Token("operator@r1");
        var op = host.Token("operator");
        var (a, b) = await FarApartAsync(0, "region-1");
        var outside = (await host.DataAsync(op, "{ devices(first: 1, filter: {regionId: \"region-2\"}) { nodes { key } } }"))["devices"]!["nodes"]![0]!["key"]!.GetValue<string>();

        var inside = (await host.DataAsync(scoped, Create, Input(a, b, 0, "scoped-1")))["createIntent"]!;
        Assert.Empty(inside["errors"]!.AsArray());
        Assert.Equal("INSTALLED", inside["intent"]!["state"]!.GetValue<string>());
        Assert.Equal("input.connectivity.b.deviceId", await BadFieldAsync(scoped, Input(a, outside, 0, "scoped-2")));
        var cross = (await host.DataAsync(op, Create, Input(a, outside, 0, "cross-1")))["createIntent"]!;
        Assert.Empty(cross["errors"]!.AsArray());

        var seen = (await host.DataAsync(scoped, "{ intents(first: 50) { nodes { key } } }"))["intents"]!["nodes"]!.AsArray().Select(n => n!["key"]!.GetValue<string>()).ToList();
        Assert.Contains("scoped-1", seen);
        Assert.DoesNotContain("cross-1", seen);
        var (_, hidden) = await host.PostAsync(scoped, Get, new JsonObject { ["id"] = "cross-1" });
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(hidden));
        var (_, hiddenWithdraw) = await host.PostAsync(scoped, "mutation { withdrawIntent(input: {id: \"cross-1\"}) { errors { code } } }");
        Assert.Equal("NOT_FOUND", hiddenWithdraw!["data"]!["withdrawIntent"]!["errors"]![0]!["code"]!.GetValue<string>());

        await using var socket = await Api.GraphQLSocket.ConnectAsync(host.Silo.HttpPort, scoped);
        await socket.SubscribeAsync("s", "subscription { intentUpdated(since: 0, intentId: \"scoped-1\") { sequence intentKey oldState newState intent { state } } }");
        var events = await socket.CollectAsync("s", list => list.Any(e => e["intentUpdated"]?["newState"]?.GetValue<string>() == "INSTALLED"), TimeSpan.FromSeconds(10));
        var states = events.Select(e => e["intentUpdated"]!).ToList();
        Assert.All(states, e => Assert.Equal("scoped-1", e["intentKey"]!.GetValue<string>()));
        Assert.Equal("INSTALLED", states[^1]["newState"]!.GetValue<string>());
        Assert.Equal(states.Select(e => e["sequence"]!.GetValue<long>()).Order(), states.Select(e => e["sequence"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Withdrawing_one_of_two_intents_to_one_prefix_leaves_the_routes_the_other_shares()
    {
        await StartAsync(routesLow: true);
        var op = host.Token("operator");
        var (a, b) = await FarApartAsync(16);
        var x = (await host.DataAsync(op, Create, Input(a, b, 0, "shared-x")))["createIntent"]!["intent"]!;
        Assert.Equal("INSTALLED", x["state"]!.GetValue<string>());
        var path = Strings(x["path"]!["deviceKeys"]!);

        // y starts where x's path meets b's neighbour and reaches the same prefix behind b: on that device both route
        // to it through b.
        var input = Input(path[^2], b, 0, "shared-y");
        input["input"]!["connectivity"]!["b"]!["prefix"] = Prefix("shared-x", 1);
        var y = (await host.DataAsync(op, Create, input))["createIntent"]!["intent"]!;
        Assert.Equal("INSTALLED", y["state"]!.GetValue<string>());
        var shared = y["routes"]!.AsArray().Single(d => d!["deviceKey"]!.GetValue<string>() == path[^2])!["routes"]!.AsArray()
            .Select(r => (r!["prefix"]!.GetValue<string>(), r["nextHop"]!.GetValue<string>())).ToList();
        Assert.Contains(shared, r => x["routes"]!.AsArray().Any(d => d!["deviceKey"]!.GetValue<string>() == path[^2]
            && d["routes"]!.AsArray().Any(o => (o!["prefix"]!.GetValue<string>(), o["nextHop"]!.GetValue<string>()) == r)));

        var withdrawn = (await host.DataAsync(op, "mutation { withdrawIntent(input: {id: \"shared-x\"}) { intent { state } errors { code } } }"))["withdrawIntent"]!;
        Assert.Equal("WITHDRAWN", withdrawn["intent"]!["state"]!.GetValue<string>());

        // y's routes are all still there, x's own (towards a's prefix, and on a) are gone.
        await AssertRoutesOnDevicesAsync(y, present: true);
        var own = new JsonArray([.. x["routes"]!.AsArray().Select(d => (JsonNode)new JsonObject
        {
            ["deviceKey"] = d!["deviceKey"]!.GetValue<string>(),
            ["routes"] = new JsonArray([.. d["routes"]!.AsArray().Where(r => !y["routes"]!.AsArray().Any(o => o!["deviceKey"]!.GetValue<string>() == d["deviceKey"]!.GetValue<string>()
                && o["routes"]!.AsArray().Any(q => q!["prefix"]!.GetValue<string>() == r!["prefix"]!.GetValue<string>() && q["nextHop"]!.GetValue<string>() == r["nextHop"]!.GetValue<string>()))).Select(r => r!.DeepClone())]),
        }).Where(d => d["routes"]!.AsArray().Count > 0)]);
        await AssertRoutesOnDevicesAsync(x, present: false, own);

        Assert.Equal("WITHDRAWN", (await host.DataAsync(op, "mutation { withdrawIntent(input: {id: \"shared-y\"}) { intent { state } errors { code } } }"))["withdrawIntent"]!["intent"]!["state"]!.GetValue<string>());
        await AssertRoutesOnDevicesAsync(y, present: false);
    }

    private async Task StartAsync(bool routesLow)
    {
        await host.StartAsync(postgres);
        var policy = (await host.DataAsync(host.Token("admin"), "mutation($low: Boolean) { setChangePolicy(input: {mediumRoles: [], highRegionCount: 100, highDeviceCount: 1000, intentRoutesLow: $low}) { errors { message } } }",
            new JsonObject { ["low"] = routesLow }))["setChangePolicy"]!;
        Assert.Empty(policy["errors"]!.AsArray());
    }

    // The routes a preview would install, as the intent's routes field shows them.
    private async Task<JsonArray> DesiredRoutesAsync(string a, string b, string key)
    {
        var preview = (await host.DataAsync(host.Token("operator"), "query($input: IntentInput!) { previewIntent(input: $input) { patches { deviceKey patch { addRoutes { prefix nextHop } } } } }", Input(a, b, 0, key)))["previewIntent"]!;
        return new JsonArray([.. preview["patches"]!.AsArray().Select(p => (JsonNode)new JsonObject { ["deviceKey"] = p!["deviceKey"]!.GetValue<string>(), ["routes"] = p["patch"]!["addRoutes"]!.DeepClone() })]);
    }

    private async Task AssertRoutesOnDevicesAsync(JsonNode intent, bool present, JsonArray? desired = null)
    {
        var routes = desired ?? intent["routes"]!.AsArray();
        Assert.NotEmpty(routes);
        foreach (var device in routes)
        {
            var config = (await host.DataAsync(host.Token("viewer"), "query($id: ID!) { device(id: $id) { config { intended { routes { prefix nextHop } } } } }",
                new JsonObject { ["id"] = device!["deviceKey"]!.GetValue<string>() }))["device"]!["config"]!["intended"]!["routes"]!.AsArray();
            var held = config.Select(r => (r!["prefix"]!.GetValue<string>(), r["nextHop"]!.GetValue<string>())).ToHashSet();
            foreach (var route in device["routes"]!.AsArray())
            {
                var key = (route!["prefix"]!.GetValue<string>(), route["nextHop"]!.GetValue<string>());
                Assert.True(held.Contains(key) == present, $"{device["deviceKey"]}: route {key} {(present ? "missing" : "still there")}");
            }
        }
    }

    private async Task<string> BadFieldAsync(string token, JsonObject variables)
    {
        var payload = (await host.DataAsync(token, Create, variables))["createIntent"]!;
        Assert.Null(payload["intent"]);
        var error = payload["errors"]![0]!;
        Assert.Equal("BAD_USER_INPUT", error["code"]!.GetValue<string>());
        var field = string.Join('.', error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.StartsWith(field + ":", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        return field;
    }

    private Task<(string A, string B)> FarApartAsync(int which, string? region = null) => FarApart.PickAsync(host, which, region);

    private static List<string> Strings(JsonNode node) => [.. node.AsArray().Select(n => n!.GetValue<string>())];

    // Each intent's ends get prefixes of their own (from its key), so no two intents of a test share a route.
    private static JsonObject Input(string a, string b, long bandwidth, string key) => new()
    {
        ["input"] = new JsonObject
        {
            ["key"] = key,
            ["kind"] = "CONNECTIVITY",
            ["connectivity"] = new JsonObject
            {
                ["a"] = new JsonObject { ["deviceId"] = a, ["prefix"] = Prefix(key, 0) },
                ["b"] = new JsonObject { ["deviceId"] = b, ["prefix"] = Prefix(key, 1) },
                ["minBandwidthBps"] = bandwidth,
            },
        },
    };

    private static string Prefix(string key, int end) =>
        $"10.{key.Select((c, i) => c * (i + 1)).Sum() % 200 + 20}.{end}.0/24";
}
