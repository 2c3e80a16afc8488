using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions.Security;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.ReadModel;
using static Pdsno.IntegrationTests.GraphQL.GraphQLTestHost;

namespace Pdsno.IntegrationTests.GraphQL;

/// <summary>A token limited to regions reads nothing of the devices beyond them, whatever way the query takes.</summary>
[Collection(PostgresGroup.Name)]
public sealed class RegionScopeTests(PostgresFixture postgres)
{
    // The seeded chain crosses from north (devices 1-120) to south at 120-121.
    private static readonly string LastOfNorth = Dev(120);
    private static readonly string FirstOfSouth = Dev(121);

    private static readonly Caller NorthViewer = new("acme", "00000000000000aa", "north viewer", Roles.Viewer, ImmutableArray.Create("north"));

    private const string Topology = """
        { topology(regionId: "north") {
            nodes { id key external label status role vendor regionKey device { name managementAddress chassisId interfaces { name } neighbors { remoteDeviceKey } } }
            edges { source target } } }
        """;

    [Fact]
    public async Task An_external_node_beyond_the_callers_regions_shows_only_its_key()
    {
        await using var host = await StartAsync(postgres);
        var nodes = (await host.ExecuteAsync(Topology, caller: NorthViewer)).Data("topology", "nodes").EnumerateArray().ToList();
        var external = Assert.Single(nodes, n => n.GetProperty("external").GetBoolean());
        Assert.Equal(FirstOfSouth, external.GetProperty("key").GetString());
        Assert.False(string.IsNullOrEmpty(external.GetProperty("id").GetString()));
        foreach (var field in new[] { "label", "status", "role", "vendor", "regionKey", "device" })
        {
            Assert.Equal(JsonValueKind.Null, external.GetProperty(field).ValueKind);
        }

        // The region's own devices are drawn in full, and the edge to the hidden device is still there.
        var own = Assert.Single(nodes, n => n.GetProperty("key").GetString() == LastOfNorth);
        Assert.Equal("north", own.GetProperty("regionKey").GetString());
        Assert.Equal(4, own.GetProperty("device").GetProperty("interfaces").GetArrayLength());

        // A token of the whole tenant sees the external device as before.
        var all = (await host.ExecuteAsync(Topology)).Data("topology", "nodes").EnumerateArray().Single(n => n.GetProperty("external").GetBoolean());
        Assert.Equal("south", all.GetProperty("regionKey").GetString());
        Assert.Equal("10.0.0.121", all.GetProperty("device").GetProperty("managementAddress").GetString());
    }

    [Fact]
    public async Task Interfaces_and_neighbours_of_a_device_beyond_the_scope_are_read_as_nothing()
    {
        await using var host = await StartAsync(postgres);
        var reader = host.Services.GetRequiredService<TopologyReader>();
        string[] north = ["north"];
        var before = host.Statements.Count;

        var interfaces = await reader.GetInterfacesAsync("acme", [LastOfNorth, FirstOfSouth], north);
        Assert.Equal([LastOfNorth], interfaces.Keys);
        Assert.Equal(4, interfaces[LastOfNorth].Count);

        var neighbors = await reader.GetNeighborsAsync("acme", [LastOfNorth, FirstOfSouth], north);
        Assert.Equal([LastOfNorth], neighbors.Keys);
        // The border link is the north device's own neighbour: it is listed (the far key, not the far device).
        Assert.Contains(neighbors[LastOfNorth], n => n.RemoteDeviceKey == FirstOfSouth);
        Assert.Equal(before + 2, host.Statements.Count);

        // Unscoped, both devices answer.
        Assert.Equal(2, (await reader.GetInterfacesAsync("acme", [LastOfNorth, FirstOfSouth])).Count);
        Assert.Equal(2, (await reader.GetNeighborsAsync("acme", [LastOfNorth, FirstOfSouth])).Count);
    }
}
