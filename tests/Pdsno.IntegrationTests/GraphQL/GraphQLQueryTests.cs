using System.Text.Json;
using Pdsno.GraphQL.Relay;
using Pdsno.IntegrationTests.Infrastructure;
using static Pdsno.IntegrationTests.GraphQL.GraphQLTestHost;

namespace Pdsno.IntegrationTests.GraphQL;

[Collection(PostgresGroup.Name)]
public sealed class GraphQLQueryTests(PostgresFixture postgres)
{
    private const string DevicePage = """
        query($first: Int, $after: String, $last: Int, $before: String, $filter: DeviceFilter) {
          devices(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
            totalCount
            edges { cursor node { key name } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
        """;

    [Fact]
    public async Task Devices_page_forward_and_backward_over_the_whole_list_without_gaps()
    {
        await using var host = await StartAsync(postgres);
        var forward = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = (await host.ExecuteAsync(DevicePage, variables: Vars(("first", 100), ("after", after)))).Data("devices");
            Assert.Equal(250, page.GetProperty("totalCount").GetInt32());
            forward.AddRange(Keys(page));
            pages++;
            var info = page.GetProperty("pageInfo");
            Assert.Equal(after is not null, info.GetProperty("hasPreviousPage").GetBoolean());
            if (!info.GetProperty("hasNextPage").GetBoolean())
            {
                break;
            }

            after = info.GetProperty("endCursor").GetString();
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 250).Select(Dev), forward);

        var backward = new List<string>();
        string? before = null;
        while (true)
        {
            var page = (await host.ExecuteAsync(DevicePage, variables: Vars(("last", 90), ("before", before)))).Data("devices");
            backward.InsertRange(0, Keys(page));
            var info = page.GetProperty("pageInfo");
            if (!info.GetProperty("hasPreviousPage").GetBoolean())
            {
                break;
            }

            before = info.GetProperty("startCursor").GetString();
        }

        Assert.Equal(forward, backward);
    }

    [Fact]
    public async Task A_cursor_stays_put_when_rows_are_inserted_between_pages()
    {
        await using var host = await StartAsync(postgres);
        var first = (await host.ExecuteAsync(DevicePage, "stab", Vars(("first", 10)))).Data("devices");
        Assert.Equal(Enumerable.Range(1, 10).Select(Dev), Keys(first));

        // New devices sort before the cursor and inside the next page; an offset cursor would repeat or skip rows.
        await host.SqlAsync("""
            INSERT INTO devices (tenant, device, region, chassis_id, name, vendor, model, os_version, management_address, role, status, status_since, first_seen, state_version)
            SELECT 'stab', k, 'north', k, k, 'cisco', 'm', '1', '10.9.9.9', 'access', 'ACTIVE', now(), now(), 1
            FROM unnest(ARRAY['c000000000000', 'c0000000000005a', 'c00000000000ba']) k
            """);
        var after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        var second = (await host.ExecuteAsync(DevicePage, "stab", Vars(("first", 5), ("after", after)))).Data("devices");
        Assert.Equal(["c00000000000b", "c00000000000ba", "c00000000000c", "c00000000000d", "c00000000000e"], Keys(second));
        Assert.Equal(33, second.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Filters_narrow_devices_and_links()
    {
        await using var host = await StartAsync(postgres);
        async Task<int> CountAsync(string filter) =>
            (await host.ExecuteAsync($"{{ devices(first: 1, filter: {filter}) {{ totalCount }} }}")).Data("devices", "totalCount").GetInt32();

        Assert.Equal(120, await CountAsync("{ regionId: \"north\" }"));
        Assert.Equal(10, await CountAsync($"{{ regionId: \"{GlobalId.Encode("Region", "east")}\" }}"));
        Assert.Equal(10, await CountAsync("{ status: UNREACHABLE }"));
        Assert.Equal(83, await CountAsync("{ vendor: \"CISCO\" }"));
        Assert.Equal(25, await CountAsync("{ role: \"core\" }"));
        Assert.Equal(8, await CountAsync("{ regionId: \"north\", role: \"core\", status: ACTIVE, search: \"SW-0\" }"));
        Assert.Equal(1, await CountAsync("{ search: \"10.0.0.77\" }"));

        var links = (await host.ExecuteAsync($$"""{ links(first: 10, filter: { deviceId: "{{GlobalId.Encode("Device", Dev(5))}}" }) { totalCount nodes { key status deviceA { key } } } }""")).Data("links");
        Assert.Equal(2, links.GetProperty("totalCount").GetInt32());
        var down = (await host.ExecuteAsync("{ links(filter: { status: DOWN }) { totalCount } }")).Data("links", "totalCount").GetInt32();
        Assert.Equal(19, down);
    }

    [Fact]
    public async Task Node_and_nodes_round_trip_every_object_type()
    {
        await using var host = await StartAsync(postgres);
        var device = (await host.ExecuteAsync($$"""{ device(id: "{{Dev(7)}}") { id name region { id name } interfaces { id name } neighbors { link { id } } } }""")).Data("device");
        Assert.Equal("North Zone", device.GetProperty("region").GetProperty("name").GetString());
        var ids = new[]
        {
            device.GetProperty("id").GetString()!,
            device.GetProperty("region").GetProperty("id").GetString()!,
            device.GetProperty("interfaces")[2].GetProperty("id").GetString()!,
            device.GetProperty("neighbors")[0].GetProperty("link").GetProperty("id").GetString()!,
        };
        Assert.All(ids, id => Assert.DoesNotContain("acme", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(id)), StringComparison.Ordinal));

        var node = (await host.ExecuteAsync($$"""{ node(id: "{{ids[0]}}") { id __typename ... on Device { name } } }""")).Data("node");
        Assert.Equal("Device", node.GetProperty("__typename").GetString());
        Assert.Equal("sw-007", node.GetProperty("name").GetString());

        var nodes = (await host.ExecuteAsync(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Interface { name } ... on Region { name } } }",
            variables: Vars(("ids", ids.Cast<object?>().ToList())))).Data("nodes");
        Assert.Equal(ids, nodes.EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(["Device", "Region", "Interface", "Link"], nodes.EnumerateArray().Select(n => n.GetProperty("__typename").GetString()));
        Assert.Equal("eth2", nodes[2].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Another_tenants_ids_answer_not_found()
    {
        await using var host = await StartAsync(postgres);
        var acmeOnly = GlobalId.Encode("Device", Dev(250));
        var response = await host.ExecuteAsync($$"""{ device(id: "{{acmeOnly}}") { name } }""", tenant: "other");
        Assert.Equal(JsonValueKind.Null, response.GetProperty("data").GetProperty("device").ValueKind);
        Assert.Equal("NOT_FOUND", response.SingleError().Code());

        var node = await host.ExecuteAsync($$"""{ node(id: "{{acmeOnly}}") { id } }""", tenant: "other");
        Assert.Equal("NOT_FOUND", node.SingleError().Code());

        // The same key in the caller's own tenant is the caller's own device.
        var own = (await host.ExecuteAsync($$"""{ device(id: "{{GlobalId.Encode("Device", Dev(3))}}") { name } }""", tenant: "other")).Data("device");
        Assert.Equal("sw-003", own.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Topology_draws_a_region_with_external_neighbours_in_at_most_three_statements()
    {
        await using var host = await StartAsync(postgres);
        var before = host.Statements.Count;
        var topology = (await host.ExecuteAsync("""
            { topology(regionId: "south") { region { key name } nodes { id key label status external } edges { source target status sourceInterface targetInterface } } }
            """)).Data("topology");
        Assert.InRange(host.Statements.Count - before, 1, 3);
        Assert.Equal("south", topology.GetProperty("region").GetProperty("name").GetString());
        var nodes = topology.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(122, nodes.Count);
        Assert.Equal([Dev(120), Dev(241)], nodes.Where(n => n.GetProperty("external").GetBoolean()).Select(n => n.GetProperty("key").GetString()).Order());
        var edges = topology.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(121, edges.Count);
        Assert.Contains(edges, e => e.GetProperty("source").GetString() == Dev(120) && e.GetProperty("target").GetString() == Dev(121));
        Assert.Equal(9, edges.Count(e => e.GetProperty("status").GetString() == "DOWN"));

        var missing = await host.ExecuteAsync("{ topology(regionId: \"atlantis\") { nodes { key } } }");
        Assert.Equal("NOT_FOUND", missing.SingleError().Code());
    }

    [Fact]
    public async Task A_page_of_100_devices_with_interfaces_and_neighbours_costs_a_bounded_number_of_statements()
    {
        await using var host = await StartAsync(postgres);
        var before = host.Statements.Count;
        var page = (await host.ExecuteAsync("""
            {
              devices(first: 100, after: null) {
                totalCount
                edges { node { key region { name } interfaces { name operStatus } neighbors { localInterface remoteInterface device { key status } link { status } } } }
              }
            }
            """)).Data("devices");
        var statements = host.Statements.Count - before;

        // page + count + regions + interfaces + neighbours (with their links) + the neighbours' devices
        Assert.InRange(statements, 1, 6);
        var edges = page.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(100, edges.Count);
        Assert.All(edges, e => Assert.Equal(4, e.GetProperty("node").GetProperty("interfaces").GetArrayLength()));
        var fifth = edges[4].GetProperty("node").GetProperty("neighbors").EnumerateArray().ToList();
        Assert.Equal([Dev(4), Dev(6)], fifth.Select(n => n.GetProperty("device").GetProperty("key").GetString()).Order());
        Assert.Equal(1, edges[0].GetProperty("node").GetProperty("neighbors").GetArrayLength());
    }

    [Fact]
    public async Task Fragments_and_skip_include_apply_to_every_item_of_a_list_in_each_request()
    {
        await using var host = await StartAsync(postgres);
        const string Query = """
            query($more: Boolean!) {
              devices(first: 3) { edges { node { ...Named status @include(if: $more) interfaces { name ... on Interface { ifIndex @skip(if: $more) } } } } }
            }
            fragment Named on Device { key name }
            """;
        foreach (var more in new[] { true, false, true })
        {
            var edges = (await host.ExecuteAsync(Query, variables: Vars(("more", more)))).Data("devices", "edges").EnumerateArray().ToList();
            Assert.Equal(3, edges.Count);
            Assert.All(edges, e =>
            {
                var node = e.GetProperty("node");
                Assert.Equal(more ? ["key", "name", "status", "interfaces"] : ["key", "name", "interfaces"], node.EnumerateObject().Select(p => p.Name));
                Assert.All(node.GetProperty("interfaces").EnumerateArray(), i => Assert.Equal(more ? ["name"] : ["name", "ifIndex"], i.EnumerateObject().Select(p => p.Name)));
            });
        }
    }

    [Fact]
    public async Task Path_takes_the_fewest_up_links_and_reports_unreachable_as_not_found()
    {
        await using var host = await StartAsync(postgres);
        var path = (await host.ExecuteAsync("""
            { path(from: "a", to: "d") { hopCount from { key } to { key } hops { deviceKey interfaceOut link { key status } device { name } } } }
            """, tenant: "paths")).Data("path");
        Assert.Equal(3, path.GetProperty("hopCount").GetInt32());
        var hops = path.GetProperty("hops").EnumerateArray().ToList();
        Assert.Equal(["a", "b", "c", "d"], hops.Select(h => h.GetProperty("deviceKey").GetString()));
        Assert.Equal(["p1", "p2", "p2", null], hops.Select(h => h.GetProperty("interfaceOut").GetString()));
        Assert.Equal(JsonValueKind.Null, hops[3].GetProperty("link").ValueKind);
        Assert.All(hops.SkipLast(1), h => Assert.Equal("UP", h.GetProperty("link").GetProperty("status").GetString()));

        var unreachable = await host.ExecuteAsync("{ path(from: \"a\", to: \"f\") { hopCount } }", tenant: "paths");
        Assert.Equal(JsonValueKind.Null, unreachable.GetProperty("data").GetProperty("path").ValueKind);
        Assert.Equal("NOT_FOUND", unreachable.SingleError().Code());

        var unknown = await host.ExecuteAsync("{ path(from: \"a\", to: \"zz\") { hopCount } }", tenant: "paths");
        Assert.Contains("'zz'", unknown.SingleError().Message(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_since_a_sequence_come_in_order_and_filter_by_type()
    {
        await using var host = await StartAsync(postgres);
        var events = (await host.ExecuteAsync("""
            { events(since: 25, first: 10) { totalCount edges { cursor node { sequence type region device occurredAt } } pageInfo { hasNextPage } } }
            """)).Data("events");
        Assert.Equal(5, events.GetProperty("totalCount").GetInt32());
        Assert.Equal([26L, 27, 28, 29, 30], events.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("sequence").GetInt64()));
        Assert.Equal("LINK_UP", events.GetProperty("edges")[0].GetProperty("node").GetProperty("type").GetString());

        var linkDowns = (await host.ExecuteAsync("{ events(types: [LINK_DOWN], first: 100) { nodes { sequence type } } }")).Data("events", "nodes");
        Assert.Equal(Enumerable.Range(1, 30).Where(i => i % 4 == 1).Select(i => (long)i), linkDowns.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));

        var reader = host.Services.GetService(typeof(Pdsno.Storage.ReadModel.TopologyReader)) as Pdsno.Storage.ReadModel.TopologyReader;
        var replay = await reader!.ReadEventsAsync("acme", new Pdsno.Storage.ReadModel.EventQuery(20, ["LinkUp", "DeviceStatusChanged"], Region: "north"), 2);
        Assert.Equal([22L, 26], replay.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Regions_list_with_display_names_and_device_counts()
    {
        await using var host = await StartAsync(postgres);
        var regions = (await host.ExecuteAsync("{ regions { totalCount nodes { key name deviceCount } } }")).Data("regions");
        Assert.Equal(3, regions.GetProperty("totalCount").GetInt32());
        var byKey = regions.GetProperty("nodes").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal("south", byKey["south"].GetProperty("name").GetString());
        Assert.Equal(10, byKey["east"].GetProperty("deviceCount").GetInt32());

        var missing = await host.ExecuteAsync("{ region(id: \"atlantis\") { name } }");
        Assert.Equal("NOT_FOUND", missing.SingleError().Code());
    }

    [Fact]
    public async Task Global_policy_and_telemetry_come_from_the_grains()
    {
        await using var host = await StartAsync(postgres);
        var data = (await host.ExecuteAsync($$"""
            { globalPolicy { version discoveryIntervalSeconds missedCyclesUntilInactive }
              device(id: "{{Dev(1)}}") { recentTelemetry(interface: "eth0", last: 1) { interface inOctets inBitsPerSecond } } }
            """)).Data();
        Assert.Equal(7, data.GetProperty("globalPolicy").GetProperty("version").GetInt64());
        Assert.Equal(45, data.GetProperty("globalPolicy").GetProperty("discoveryIntervalSeconds").GetDouble());
        var sample = Assert.Single(data.GetProperty("device").GetProperty("recentTelemetry").EnumerateArray());
        Assert.Equal(1100UL, sample.GetProperty("inOctets").GetUInt64());
    }

    [Fact]
    public async Task An_internal_failure_answers_INTERNAL_without_details()
    {
        await using var host = await StartAsync(postgres);
        var response = await host.ExecuteAsync($$"""{ device(id: "{{FakeGrainFactory.FailingDevice}}") { name recentTelemetry { interface } } }""");
        var error = response.SingleError();
        Assert.Equal("INTERNAL", error.Code());
        var text = response.ToString();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.False(error.GetProperty("extensions").TryGetProperty("details", out _));
    }

    private static List<string> Keys(JsonElement connection) =>
        connection.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()!).ToList();

    private static global::GraphQL.Inputs Vars(params (string Name, object? Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));
}
