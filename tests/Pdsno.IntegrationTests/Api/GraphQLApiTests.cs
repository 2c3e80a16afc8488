using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Api;

/// <summary>The GraphQL API of the real host, over HTTP and graphql-transport-ws on a loopback port.</summary>
[Collection(PostgresGroup.Name)]
public sealed class GraphQLApiTests(PostgresFixture postgres)
{
    private static Dictionary<string, string> Network() => new()
    {
        ["Discovery:Interval"] = "00:00:01",
        ["Simulation:Devices"] = "30",
        ["Simulation:Regions"] = "2",
    };

    [Fact]
    public async Task A_subscription_with_since_replays_the_log_then_goes_live_without_gap_or_duplicate()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, Network());
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 30, TimeSpan.FromSeconds(60), "30 active devices");

        var stored = await q.ScalarAsync("SELECT count(*) FROM events");
        await using var socket = await GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken);
        await socket.SubscribeAsync("all", "subscription($since: Long) { topologyChanged(since: $since) { sequence type device oldValue newValue } }", new JsonObject { ["since"] = 0 });
        var replay = await socket.CollectAsync("all", items => items.Count >= stored, TimeSpan.FromSeconds(30));
        Assert.True(replay.Count >= stored, $"replayed {replay.Count} of {stored}");

        // A change made now arrives live, after the replay, in sequence.
        var device = (await q.TextAsync("SELECT device FROM devices WHERE name = 'r2-acc-1'"))!;
        var result = await GraphQLHttp.PostAsync(silo.Http, "mutation($id: ID!) { setDeviceDown(input: {id: $id, down: true}) { device { name } errors { message } } }", new JsonObject { ["id"] = device });
        Assert.Equal("r2-acc-1", result["setDeviceDown"]!["device"]!["name"]!.GetValue<string>());
        var live = await socket.CollectAsync(
            "all",
            items => items.Any(i => i["topologyChanged"]!["newValue"]?.GetValue<string>() == "INACTIVE"),
            TimeSpan.FromSeconds(30));

        var received = replay.Concat(live).Select(i => i["topologyChanged"]!["sequence"]!.GetValue<long>()).ToList();
        var max = received.Max();
        var inLog = await q.ScalarAsync("SELECT count(*) FROM events WHERE seq <= $1", max);
        Assert.Equal(received.Distinct().Count(), received.Count);
        Assert.Equal(received.OrderBy(s => s), received);
        Assert.Equal(inLog, received.Count);
    }

    [Fact]
    public async Task Device_status_subscriptions_follow_one_device_and_queries_page_the_read_model()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, Network());
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 30, TimeSpan.FromSeconds(60), "30 active devices");

        var page = await GraphQLHttp.PostAsync(silo.Http, "{ devices(first: 10, filter: {status: ACTIVE}) { totalCount edges { node { id name interfaces { name } } } pageInfo { hasNextPage endCursor } } }");
        Assert.Equal(30, page["devices"]!["totalCount"]!.GetValue<int>());
        Assert.True(page["devices"]!["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        var first = page["devices"]!["edges"]![0]!["node"]!;
        var id = first["id"]!.GetValue<string>();

        await using var socket = await GraphQLSocket.ConnectAsync(silo.HttpPort, silo.AdminToken);
        await socket.SubscribeAsync("status", "subscription($id: ID!) { deviceStatusChanged(deviceId: $id) { sequence oldValue newValue } }", new JsonObject { ["id"] = id });
        await GraphQLHttp.PostAsync(silo.Http, "mutation($id: ID!) { setDeviceDown(input: {id: $id, down: true}) { errors { message } } }", new JsonObject { ["id"] = id });
        var changes = await socket.CollectAsync("status", items => items.Count >= 2, TimeSpan.FromSeconds(30));
        Assert.Equal(
            [("ACTIVE", "UNREACHABLE"), ("UNREACHABLE", "INACTIVE")],
            changes.Select(c => (c["deviceStatusChanged"]!["oldValue"]!.GetValue<string>(), c["deviceStatusChanged"]!["newValue"]!.GetValue<string>())).ToList());

        var node = await GraphQLHttp.PostAsync(silo.Http, "query($id: ID!) { node(id: $id) { ... on Device { name status } } }", new JsonObject { ["id"] = id });
        Assert.Equal("INACTIVE", node["node"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mutations_create_import_and_report_bad_input_as_typed_errors()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, Network());
        await silo.WaitReadyAsync();

        var created = await GraphQLHttp.PostAsync(silo.Http, "mutation { createRegion(input: {id: \"lab\", name: \"Lab\"}) { region { key name } errors { code } } }");
        Assert.Equal("Lab", created["createRegion"]!["region"]!["name"]!.GetValue<string>());
        var again = await GraphQLHttp.PostAsync(silo.Http, "mutation { createRegion(input: {id: \"lab\"}) { region { key } errors { code } } }");
        Assert.Equal("CONFLICT", again["createRegion"]!["errors"]![0]!["code"]!.GetValue<string>());

        var bad = await GraphQLHttp.PostAsync(silo.Http, "mutation($gml: String) { importTopology(input: {regionId: \"lab\", gml: $gml}) { devicesImported errors { code message field } } }", new JsonObject { ["gml"] = "graph [\n node [ id 1 ]\n node [ id 2 ]\n edge [ source 1 target 3 ]\n]" });
        var error = bad["importTopology"]!["errors"]![0]!;
        Assert.Equal("BAD_USER_INPUT", error["code"]!.GetValue<string>());
        Assert.Contains("line 4", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var imported = await GraphQLHttp.PostAsync(silo.Http, "mutation { importTopology(input: {regionId: \"lab\", zooFile: \"Abilene\"}) { devicesImported linksImported errors { code } } }");
        Assert.Equal(11, imported["importTopology"]!["devicesImported"]!.GetValue<int>());
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE region = 'lab'"), n => n == 11, TimeSpan.FromSeconds(30), "Abilene discovered");
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM links WHERE region = 'lab' AND status = 'UP'"), n => n == 14, TimeSpan.FromSeconds(30), "Abilene links");

        var topology = await GraphQLHttp.PostAsync(silo.Http, "{ topology(regionId: \"UmVnaW9uOmxhYg==\") { nodes { id } edges { id } } }");
        Assert.Equal(11, topology["topology"]!["nodes"]!.AsArray().Count);
        Assert.Equal(14, topology["topology"]!["edges"]!.AsArray().Count);

        var policy = await GraphQLHttp.PostAsync(silo.Http, "mutation { setGlobalPolicy(input: {discoveryIntervalSeconds: 2, missedCyclesUntilInactive: 4}) { policy { version missedCyclesUntilInactive } errors { code } } }");
        Assert.Equal(4, policy["setGlobalPolicy"]!["policy"]!["missedCyclesUntilInactive"]!.GetValue<int>());
        var notEmpty = await GraphQLHttp.PostAsync(silo.Http, "mutation { deleteRegion(input: {id: \"lab\"}) { errors { code } } }");
        Assert.Equal("CONFLICT", notEmpty["deleteRegion"]!["errors"]![0]!["code"]!.GetValue<string>());
    }
}
