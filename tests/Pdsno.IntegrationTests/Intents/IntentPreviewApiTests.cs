using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Intents;

/// <summary>
/// Intent previews over GraphQL on the real host, PostgreSQL and the simulated network: a connectivity preview with its
/// path, loads and routes, typed refusals naming the field, that nothing is stored, and that the topology graph follows
/// the event log (a link taken down is no longer used).
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class IntentPreviewApiTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string PreviewFields = """
        intentKey feasible reason reservedBps
        path { deviceKeys linkKeys hops } backupPath { deviceKeys }
        links { linkKey capacityBps reservedBeforeBps reservedAfterBps headroomAfterBps }
        conflicts { kind otherIntentKey message }
        patches { deviceKey patch { addRoutes { prefix nextHop interface metric } } }
        """;

    private const string Preview = "query($input: IntentInput!) { previewIntent(input: $input) { " + PreviewFields + " } }";

    [Fact]
    public async Task A_connectivity_preview_answers_the_path_the_loads_and_the_routes_and_stores_nothing()
    {
        await host.StartAsync(postgres);
        var (a, b) = await FarApartAsync();
        var op = host.Token("operator");

        var preview = (await host.DataAsync(op, Preview, Input(a, b, 1_000_000)))["previewIntent"]!;
        Assert.True(preview["feasible"]!.GetValue<bool>(), preview.ToJsonString());
        var devices = preview["path"]!["deviceKeys"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Equal(a, devices[0]);
        Assert.Equal(b, devices[^1]);
        Assert.True(devices.Count >= 3);
        Assert.All(preview["links"]!.AsArray(), l => Assert.Equal(l!["reservedBeforeBps"]!.GetValue<long>() + 1_000_000, l["reservedAfterBps"]!.GetValue<long>()));
        Assert.Equal(devices.Order(), preview["patches"]!.AsArray().Select(p => p!["deviceKey"]!.GetValue<string>()).Order());
        var first = preview["patches"]!.AsArray().Single(p => (string?)p!["deviceKey"] == a)!["patch"]!["addRoutes"]!.AsArray();
        Assert.Single(first);
        Assert.EndsWith("/32", first[0]!["prefix"]!.GetValue<string>(), StringComparison.Ordinal);

        // Nothing was reserved: a failure of the path's first link touches no intent.
        var failure = (await host.DataAsync(host.Token("viewer"), "query($l: [ID!]) { previewFailure(linkIds: $l) { rerouted { intentKey } failed { intentKey } links { linkKey reservedBeforeBps } } }",
            new JsonObject { ["l"] = new JsonArray(preview["path"]!["linkKeys"]![0]!.GetValue<string>()) }))["previewFailure"]!;
        Assert.Empty(failure["rerouted"]!.AsArray());
        Assert.Empty(failure["failed"]!.AsArray());
        Assert.Equal(0, failure["links"]![0]!["reservedBeforeBps"]!.GetValue<long>());
    }

    [Fact]
    public async Task Bad_input_is_a_typed_error_naming_the_field_and_tokens_without_the_role_or_scope_are_refused()
    {
        await host.StartAsync(postgres);
        var (a, b) = await FarApartAsync();
        var op = host.Token("operator");

        Assert.Equal("input.connectivity.a.deviceId", await BadFieldAsync(op, Input("no-such-device", b)));
        Assert.Equal("input.connectivity.b", await BadFieldAsync(op, Input(a, a)));
        Assert.Equal("input.connectivity.minBandwidthBps", await BadFieldAsync(op, Input(a, b, -5)));
        var region = (await host.DataAsync(op, "query($id: ID!) { device(id: $id) { region { key } } }", new JsonObject { ["id"] = a }))["device"]!["region"]!["key"]!.GetValue<string>();
        var contradictory = Input(a, b);
        contradictory["input"]!["connectivity"]!["avoidRegionIds"] = new JsonArray(region);
        Assert.Equal("input.connectivity.avoidRegionIds", await BadFieldAsync(op, contradictory));

        // Another tenant's devices are unknown devices.
        var stranger = (await host.DataAsync(host.Token("admin"), "mutation { createTenant(input: {id: \"intents-other\"}) { secret } }"))["createTenant"]!["secret"]!.GetValue<string>();
        Assert.Equal("input.connectivity.a.deviceId", await BadFieldAsync(stranger, Input(a, b)));

        var (_, viewer) = await host.PostAsync(host.Token("viewer"), Preview, Input(a, b));
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(viewer));
        var (_, scoped) = await host.PostAsync(host.Token("operator@r1"), Preview, Input(a, b));
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(scoped));
    }

    [Fact]
    public async Task A_link_taken_down_leaves_the_graph_through_the_event_log()
    {
        await host.StartAsync(postgres);
        var (a, b) = await FarApartAsync();
        var op = host.Token("operator");
        var before = (await host.DataAsync(op, Preview, Input(a, b)))["previewIntent"]!;
        var link = before["path"]!["linkKeys"]![0]!.GetValue<string>();

        await host.DataAsync(op, "mutation($id: ID!) { setLinkDown(input: {id: $id, down: true}) { errors { code } } }", new JsonObject { ["id"] = link });
        try
        {
            await Eventually.ValueAsync(
                async () => (await host.DataAsync(op, Preview, Input(a, b)))["previewIntent"]!,
                p => p["path"] is null || !p["path"]!["linkKeys"]!.AsArray().Any(l => (string?)l == link),
                TimeSpan.FromSeconds(30),
                $"a path that avoids {link}");
        }
        finally
        {
            await host.DataAsync(op, "mutation($id: ID!) { setLinkDown(input: {id: $id, down: false}) { errors { code } } }", new JsonObject { ["id"] = link });
        }
    }

    private async Task<string> BadFieldAsync(string token, JsonObject variables)
    {
        var (_, body) = await host.PostAsync(token, Preview, variables);
        Assert.Equal("BAD_USER_INPUT", SecuredSilo.Codes(body)[0]);
        Assert.Null(body!["data"]!["previewIntent"]);
        var message = body["errors"]![0]!["message"]!.GetValue<string>();
        return message[..message.IndexOf(':', StringComparison.Ordinal)];
    }

    private Task<(string A, string B)> FarApartAsync() => FarApart.PickAsync(host);

    private static JsonObject Input(string a, string b, long bandwidth = 0) => new()
    {
        ["input"] = new JsonObject
        {
            ["kind"] = "CONNECTIVITY",
            ["connectivity"] = new JsonObject
            {
                ["a"] = new JsonObject { ["deviceId"] = a },
                ["b"] = new JsonObject { ["deviceId"] = b },
                ["minBandwidthBps"] = bandwidth,
            },
        },
    };
}
