using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.ReadModel;
using static Pdsno.IntegrationTests.GraphQL.GraphQLTestHost;

namespace Pdsno.IntegrationTests.GraphQL;

/// <summary>
/// Devices named by name wherever the API takes a device. Tenant "names": <c>core-1</c> exists in regions east and
/// west (names are unique per region, not per tenant), <c>edge-1</c> only in east, <c>edge-2</c> only in west;
/// edge-1 links to east's core-1.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class DeviceNameTests(PostgresFixture postgres)
{
    private const string Tenant = "names";
    private static readonly Caller EastOnly = new(Tenant, "00000000000000e1", "east-viewer", Roles.Viewer, ["east"]);

    [Fact]
    public async Task Device_by_name_finds_a_unique_name_and_refuses_one_in_several_regions_naming_them()
    {
        await using var host = await NamesHostAsync();
        var byName = (await host.ExecuteAsync("{ device(name: \"edge-1\") { key region { key } } }", Tenant)).Data("device");
        Assert.Equal("n-e-edge", byName.GetProperty("key").GetString());

        var twice = await host.ExecuteAsync("{ device(name: \"core-1\") { key } }", Tenant);
        var error = twice.SingleError();
        Assert.Equal("BAD_USER_INPUT", error.Code());
        Assert.Contains("'core-1'", error.Message(), StringComparison.Ordinal);
        Assert.Contains("east, west", error.Message(), StringComparison.Ordinal);
        Assert.Contains("regionId", error.Message(), StringComparison.Ordinal);

        var inWest = (await host.ExecuteAsync("{ device(name: \"core-1\", regionId: \"west\") { key } }", Tenant)).Data("device");
        Assert.Equal("n-w-core", inWest.GetProperty("key").GetString());
        var inWestById = (await host.ExecuteAsync($$"""{ device(name: "core-1", regionId: "{{GlobalId.Encode(GlobalId.Region, "west")}}") { key } }""", Tenant)).Data("device");
        Assert.Equal("n-w-core", inWestById.GetProperty("key").GetString());

        var missing = (await host.ExecuteAsync("{ device(name: \"core-9\") { key } }", Tenant)).SingleError();
        Assert.Equal("NOT_FOUND", missing.Code());
        Assert.Equal("name: device 'core-9' not found", missing.Message());
        Assert.Equal("NOT_FOUND", (await host.ExecuteAsync("{ device(name: \"edge-1\", regionId: \"west\") { key } }", Tenant)).SingleError().Code());

        // A name is exact: neither a part of it nor another case matches.
        Assert.Equal("NOT_FOUND", (await host.ExecuteAsync("{ device(name: \"edge\") { key } }", Tenant)).SingleError().Code());
        Assert.Equal("NOT_FOUND", (await host.ExecuteAsync("{ device(name: \"EDGE-1\") { key } }", Tenant)).SingleError().Code());

        Assert.Equal("BAD_USER_INPUT", (await host.ExecuteAsync("{ device(id: \"n-e-edge\", name: \"edge-1\") { key } }", Tenant)).SingleError().Code());
        Assert.Equal("BAD_USER_INPUT", (await host.ExecuteAsync("{ device { key } }", Tenant)).SingleError().Code());
    }

    [Fact]
    public async Task Device_by_id_takes_a_global_id_a_key_or_a_unique_name()
    {
        await using var host = await NamesHostAsync();
        foreach (var id in new[] { GlobalId.Encode(GlobalId.Device, "n-e-edge"), "n-e-edge", "edge-1" })
        {
            var device = (await host.ExecuteAsync($$"""{ device(id: "{{id}}") { key name } }""", Tenant)).Data("device");
            Assert.Equal("n-e-edge", device.GetProperty("key").GetString());
        }

        var twice = (await host.ExecuteAsync("{ device(id: \"core-1\") { key } }", Tenant)).SingleError();
        Assert.Equal("BAD_USER_INPUT", twice.Code());
        Assert.StartsWith("id: 2 devices are named 'core-1', in regions east, west", twice.Message(), StringComparison.Ordinal);

        // A global id names a key only, never a name.
        Assert.Equal("NOT_FOUND", (await host.ExecuteAsync($$"""{ device(id: "{{GlobalId.Encode(GlobalId.Device, "edge-1")}}") { key } }""", Tenant)).SingleError().Code());
        Assert.Equal("BAD_USER_INPUT", (await host.ExecuteAsync($$"""{ device(id: "{{GlobalId.Encode(GlobalId.Region, "east")}}") { key } }""", Tenant)).SingleError().Code());

        // Another tenant's device names are unknown here.
        Assert.Equal("NOT_FOUND", (await host.ExecuteAsync("{ device(id: \"edge-1\") { key } }", "other")).SingleError().Code());
    }

    [Fact]
    public async Task The_name_filter_matches_exactly_and_search_still_matches_a_part()
    {
        await using var host = await NamesHostAsync();
        var named = (await host.ExecuteAsync("{ devices(first: 10, filter: {name: \"core-1\"}) { totalCount nodes { key } } }", Tenant)).Data("devices");
        Assert.Equal(2, named.GetProperty("totalCount").GetInt32());
        Assert.Equal(["n-e-core", "n-w-core"], named.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("key").GetString()));

        var inEast = (await host.ExecuteAsync("{ devices(first: 10, filter: {name: \"core-1\", regionId: \"east\"}) { totalCount } }", Tenant)).Data("devices");
        Assert.Equal(1, inEast.GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await host.ExecuteAsync("{ devices(first: 10, filter: {name: \"core\"}) { totalCount } }", Tenant)).Data("devices").GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await host.ExecuteAsync("{ devices(first: 10, filter: {name: \"CORE-1\"}) { totalCount } }", Tenant)).Data("devices").GetProperty("totalCount").GetInt32());
        Assert.Equal(2, (await host.ExecuteAsync("{ devices(first: 10, filter: {search: \"core\"}) { totalCount } }", Tenant)).Data("devices").GetProperty("totalCount").GetInt32());

        var scoped = (await host.ExecuteAsync("{ devices(first: 10, filter: {name: \"core-1\"}) { totalCount nodes { key } } }", caller: EastOnly)).Data("devices");
        Assert.Equal(["n-e-core"], scoped.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Path_links_and_events_take_device_names_and_say_which_argument_is_wrong()
    {
        await using var host = await NamesHostAsync();
        var path = (await host.ExecuteAsync("{ path(from: \"edge-1\", to: \"n-e-core\") { hopCount hops { deviceKey } } }", Tenant)).Data("path");
        Assert.Equal(1, path.GetProperty("hopCount").GetInt32());

        var twice = (await host.ExecuteAsync("{ path(from: \"edge-1\", to: \"core-1\") { hopCount } }", Tenant)).SingleError();
        Assert.Equal("BAD_USER_INPUT", twice.Code());
        Assert.StartsWith("to: ", twice.Message(), StringComparison.Ordinal);
        var missing = (await host.ExecuteAsync("{ path(from: \"edge-9\", to: \"n-e-core\") { hopCount } }", Tenant)).SingleError();
        Assert.Equal(("NOT_FOUND", "from: device 'edge-9' not found"), (missing.Code(), missing.Message()));

        var links = (await host.ExecuteAsync("{ links(first: 10, filter: {deviceId: \"edge-1\"}) { totalCount } }", Tenant)).Data("links");
        Assert.Equal(1, links.GetProperty("totalCount").GetInt32());
        var badLinks = (await host.ExecuteAsync("{ links(first: 10, filter: {deviceId: \"core-1\"}) { totalCount } }", Tenant)).SingleError();
        Assert.StartsWith("filter.deviceId: 2 devices are named 'core-1'", badLinks.Message(), StringComparison.Ordinal);

        var events = (await host.ExecuteAsync("{ events(first: 10, deviceId: \"edge-2\") { totalCount nodes { device } } }", Tenant)).Data("events");
        Assert.Equal(1, events.GetProperty("totalCount").GetInt32());
        Assert.Equal("n-w-edge", events.GetProperty("nodes")[0].GetProperty("device").GetString());
    }

    [Fact]
    public async Task A_region_scoped_token_sees_a_name_outside_its_regions_as_missing()
    {
        await using var host = await NamesHostAsync();

        // Only east's core-1 is visible, so the name is unique for this token.
        var core = (await host.ExecuteAsync("{ device(name: \"core-1\") { key } }", caller: EastOnly)).Data("device");
        Assert.Equal("n-e-core", core.GetProperty("key").GetString());
        var byId = (await host.ExecuteAsync("{ device(id: \"core-1\") { key } }", caller: EastOnly)).Data("device");
        Assert.Equal("n-e-core", byId.GetProperty("key").GetString());

        // edge-2 exists only in west: the answer is word for word that of a name nobody has.
        foreach (var query in new[] { "{ device(name: \"NAME\") { key } }", "{ device(id: \"NAME\") { key } }", "{ path(from: \"NAME\", to: \"edge-1\") { hopCount } }", "{ events(first: 1, deviceId: \"NAME\") { totalCount } }" })
        {
            var hidden = (await host.ExecuteAsync(query.Replace("NAME", "edge-2", StringComparison.Ordinal), caller: EastOnly)).SingleError();
            var absent = (await host.ExecuteAsync(query.Replace("NAME", "edge-7", StringComparison.Ordinal), caller: EastOnly)).SingleError();
            Assert.Equal("NOT_FOUND", hidden.Code());
            Assert.Equal(absent.Message().Replace("edge-7", "edge-2", StringComparison.Ordinal), hidden.Message());
        }

        // Naming the hidden region explicitly reveals nothing either.
        var inWest = (await host.ExecuteAsync("{ device(name: \"core-1\", regionId: \"west\") { key } }", caller: EastOnly)).SingleError();
        var inNowhere = (await host.ExecuteAsync("{ device(name: \"core-1\", regionId: \"north-pole\") { key } }", caller: EastOnly)).SingleError();
        Assert.Equal("NOT_FOUND", inWest.Code());
        Assert.Equal(inNowhere.Message().Replace("north-pole", "west", StringComparison.Ordinal), inWest.Message());
    }

    [Fact]
    public async Task Names_of_the_same_request_are_looked_up_in_one_statement()
    {
        await using var host = await NamesHostAsync();
        var before = host.Statements.Count;
        var data = (await host.ExecuteAsync("{ a: device(name: \"edge-1\") { key } b: device(name: \"edge-2\") { key } c: device(id: \"n-w-core\") { key } }", Tenant)).Data();
        Assert.Equal(1, host.Statements.Count - before);
        Assert.Equal("n-w-edge", data.GetProperty("b").GetProperty("key").GetString());
    }

    [Fact]
    public void A_key_wins_over_a_name_and_a_name_in_two_regions_is_ambiguous()
    {
        DeviceRecord Device(string key, string region, string name) =>
            new(key, region, key, name, "v", "m", "1", "192.0.2.1", "core", "ACTIVE", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, []);
        var rows = new[] { Device("k1", "east", "core-1"), Device("k2", "west", "core-1"), Device("core-1", "west", "odd") };
        Assert.True(DeviceRef.TryParse("core-1", out var plain));
        Assert.Equal("core-1", DeviceLookup.Match(plain, rows).Device?.Key);
        Assert.True(DeviceLookup.Match(DeviceRef.ByName("core-1"), rows).IsAmbiguous);
        Assert.Equal("k2", DeviceLookup.Match(DeviceRef.ByName("core-1", "west"), rows).Device?.Key);
        Assert.Null(DeviceLookup.Match(DeviceRef.ByName("core-1", "north"), rows).Device);
        Assert.False(DeviceRef.TryParse(GlobalId.Encode(GlobalId.Link, "x"), out _));
    }

    private async Task<GraphQLTestHost> NamesHostAsync()
    {
        var host = await StartAsync(postgres);
        await host.SqlAsync("""
            INSERT INTO regions (tenant, region, state_version) VALUES ('names', 'east', 1), ('names', 'west', 1) ON CONFLICT DO NOTHING;
            INSERT INTO devices (tenant, device, region, chassis_id, name, vendor, model, os_version, management_address, role, status, status_since, first_seen, state_version)
            SELECT 'names', d.key, d.region, d.key, d.name, 'sim', 'm', '1', '192.0.2.1', 'core', 'ACTIVE', now(), now(), 1
            FROM (VALUES ('n-e-core', 'east', 'core-1'), ('n-w-core', 'west', 'core-1'), ('n-e-edge', 'east', 'edge-1'), ('n-w-edge', 'west', 'edge-2')) d(key, region, name)
            ON CONFLICT DO NOTHING;
            INSERT INTO links (tenant, link, region, device_a, interface_a, device_b, interface_b, speed_bps, status, status_since, state_version)
            VALUES ('names', 'n-e-core:p1|n-e-edge:p1', 'east', 'n-e-core', 'p1', 'n-e-edge', 'p1', 1000, 'UP', now(), 1) ON CONFLICT DO NOTHING;
            INSERT INTO events (tenant, seq, type, aggregate_id, aggregate_version, ordinal, region, device, occurred_at)
            VALUES ('names', 1, 'DeviceAdded', 'n-w-edge', 1, 0, 'west', 'n-w-edge', now()) ON CONFLICT DO NOTHING;
            """);
        return host;
    }
}
