using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>
/// Device names on the real host, over HTTP and WebSocket: a token limited to region-1 is told about a region-2
/// device's name exactly what it is told about a name nobody has.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class DeviceNameScopeTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    [Fact]
    public async Task Queries_and_mutations_by_name_keep_to_the_tokens_regions()
    {
        await host.StartAsync(postgres);
        var scoped = host.Token("operator@r1");

        var own = await host.DataAsync(scoped, "{ device(name: \"r1-acc-1\") { name region { key } } }");
        Assert.Equal("region-1", own["device"]!["region"]!["key"]!.GetValue<string>());
        var admin = await host.DataAsync(host.Token("admin"), "{ device(name: \"r2-acc-1\") { name } }");
        Assert.Equal("r2-acc-1", admin["device"]!["name"]!.GetValue<string>());

        foreach (var query in new[] { "{ device(name: \"NAME\") { name } }", "{ device(id: \"NAME\") { name } }", "{ path(from: \"r1-acc-1\", to: \"NAME\") { hopCount } }" })
        {
            var (_, hidden) = await host.PostAsync(scoped, query.Replace("NAME", "r2-acc-1", StringComparison.Ordinal));
            var (_, absent) = await host.PostAsync(scoped, query.Replace("NAME", "r9-acc-1", StringComparison.Ordinal));
            Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(hidden));
            Assert.Equal(Message(absent).Replace("r9-acc-1", "r2-acc-1", StringComparison.Ordinal), Message(hidden));
        }

        const string Down = "mutation($id: ID!) { setDeviceDown(input: {id: $id, down: false}) { device { name } errors { code message field } } }";
        var up = await host.DataAsync(scoped, Down, new JsonObject { ["id"] = "r1-acc-1" });
        Assert.Equal("r1-acc-1", up["setDeviceDown"]!["device"]!["name"]!.GetValue<string>());
        var outside = (await host.DataAsync(scoped, Down, new JsonObject { ["id"] = "r2-acc-1" }))["setDeviceDown"]!["errors"]![0]!;
        var nowhere = (await host.DataAsync(scoped, Down, new JsonObject { ["id"] = "r9-acc-1" }))["setDeviceDown"]!["errors"]![0]!;
        Assert.Equal("NOT_FOUND", outside["code"]!.GetValue<string>());
        Assert.Equal(nowhere.ToJsonString().Replace("r9-acc-1", "r2-acc-1", StringComparison.Ordinal), outside.ToJsonString());
        Assert.Equal("id: device 'r2-acc-1' not found", outside["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscriptions_take_a_device_name_and_refuse_one_outside_the_tokens_regions_as_missing()
    {
        await host.StartAsync(postgres);
        await using var socket = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, host.Token("operator@r1"));

        await socket.SubscribeAsync("own", "subscription { deviceTelemetry(deviceId: \"r1-acc-1\") { interface inOctets } }");
        var samples = await socket.CollectAsync("own", items => items.Count >= 1, TimeSpan.FromSeconds(60));
        Assert.NotEmpty(samples);
        await socket.SendAsync(new JsonObject { ["id"] = "own", ["type"] = "complete" });

        foreach (var field in new[] { "deviceStatusChanged", "deviceTelemetry" })
        {
            var hidden = await FirstErrorAsync(socket, field + "-hidden", $"subscription {{ {field}(deviceId: \"r2-acc-1\") {{ __typename }} }}");
            var absent = await FirstErrorAsync(socket, field + "-absent", $"subscription {{ {field}(deviceId: \"r9-acc-1\") {{ __typename }} }}");
            Assert.Equal("NOT_FOUND", hidden?["extensions"]?["code"]?.GetValue<string>());
            Assert.Equal(absent?.ToJsonString().Replace("r9-acc-1", "r2-acc-1", StringComparison.Ordinal), hidden?.ToJsonString());
        }
    }

    private static string Message(JsonNode? body) => body?["errors"]?[0]?["message"]?.GetValue<string>() ?? "(no error)";

    // The first error the server sends for a subscription: an error message, or errors in a next payload.
    private static async Task<JsonNode?> FirstErrorAsync(GraphQLSocket socket, string id, string document)
    {
        await socket.SubscribeAsync(id, document);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && await socket.ReceiveAsync(deadline - DateTime.UtcNow) is { } message)
        {
            if (message["id"]?.GetValue<string>() != id)
            {
                continue;
            }

            var errors = message["type"]?.GetValue<string>() == "error" ? message["payload"] : message["payload"]?["errors"];
            if (errors is JsonArray { Count: > 0 } list)
            {
                var first = list[0]!.DeepClone();
                (first as JsonObject)?.Remove("locations");
                (first as JsonObject)?.Remove("path");
                return first;
            }
        }

        return null;
    }
}
