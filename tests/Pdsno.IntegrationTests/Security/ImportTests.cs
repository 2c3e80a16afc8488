using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>
/// <c>importTopology</c> through GraphQL: a part belongs to the region it was imported into, and networks that share
/// city names import side by side into their own regions.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ImportTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string Import = "mutation($region: ID!, $name: String) { importTopology(input: {regionId: $region, zooFile: \"Abilene\", name: $name}) { devicesImported errors { code message } } }";

    [Fact]
    public async Task A_region_operator_cannot_replace_the_devices_of_other_regions_by_importing_under_a_parts_name()
    {
        await host.StartAsync(postgres);

        // "default" is the generated network over region-1 and region-2; replacing it from region-1 would take region-2's devices.
        var data = await host.DataAsync(host.Token("operator@r1"), Import, Vars("region-1", "default"));

        var error = data["importTopology"]!["errors"]![0]!;
        Assert.Equal("CONFLICT", error["code"]!.GetValue<string>());
        Assert.Contains("generated network", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var q = new ReadModelQueries(host.ConnectionString);
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM devices WHERE region = 'region-1' AND name = 'new-york'"));

        // A part an admin imported into another region is not the operator's to replace either.
        var admin = await host.DataAsync(host.Token("admin"), Import, Vars("hidden-region", "abilene-b"));
        Assert.Empty(admin["importTopology"]!["errors"]!.AsArray());
        var taken = await host.DataAsync(host.Token("operator@r1"), Import, Vars("region-1", "abilene-b"));
        var takenError = taken["importTopology"]!["errors"]![0]!;
        Assert.Equal("CONFLICT", takenError["code"]!.GetValue<string>());
        Assert.DoesNotContain("hidden-region", takenError["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Networks_sharing_device_names_import_into_their_own_regions_and_collide_only_within_one()
    {
        await host.StartAsync(postgres);
        var admin = host.Token("admin");

        foreach (var i in new[] { 1, 2, 3 })
        {
            var data = await host.DataAsync(admin, Import, Vars($"zoo-{i}", $"abilene-{i}"));
            Assert.Empty(data["importTopology"]!["errors"]!.AsArray());
            Assert.Equal(11, data["importTopology"]!["devicesImported"]!.GetValue<int>());
        }

        var again = await host.DataAsync(admin, Import, Vars("zoo-1", "abilene-4"));
        var error = again["importTopology"]!["errors"]![0]!;
        var message = error["message"]!.GetValue<string>();
        Assert.Equal("CONFLICT", error["code"]!.GetValue<string>());
        Assert.Contains("region 'zoo-1' already has a device named", message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", message, StringComparison.Ordinal);

        var q = new ReadModelQueries(host.ConnectionString);
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(DISTINCT region) FROM devices WHERE name = 'new-york' AND region LIKE 'zoo-%' AND status = 'ACTIVE'"),
            n => n == 3, TimeSpan.FromSeconds(60), "new-york active in three regions");
    }

    [Fact]
    public async Task An_import_over_the_node_limit_is_refused_naming_the_setting()
    {
        await host.StartAsync(postgres);
        var nodes = string.Concat(Enumerable.Range(0, 20_001).Select(i => $"node [ id {i} label \"x\" ]\n"));

        var data = await host.DataAsync(
            host.Token("admin"),
            "mutation($gml: String) { importTopology(input: {regionId: \"big\", gml: $gml}) { errors { code message } } }",
            new JsonObject { ["gml"] = $"graph [\n{nodes}]" });

        var error = data["importTopology"]!["errors"]![0]!;
        Assert.Equal("BAD_USER_INPUT", error["code"]!.GetValue<string>());
        Assert.Equal("the graph has more than 10000 nodes; Simulation:Limits:MaxNodesPerImport is 10000", error["message"]!.GetValue<string>());
    }

    private static JsonObject Vars(string region, string name) => new() { ["region"] = region, ["name"] = name };
}
