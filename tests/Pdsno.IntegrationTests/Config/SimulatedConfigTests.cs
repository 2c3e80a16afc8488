using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Config;

/// <summary>
/// Simulated devices' config on the real host: the baseline and its history row, drift announced once each way when a
/// person edits a running config behind PDSNO's back, and an interface shut down that way taking its link down.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class SimulatedConfigTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string ConfigOf = """
        query($id: ID!) { device(id: $id) { key status config { version lockedBy degradedReason sections
            intended { hostname location interfaces { name enabled mtu } routes { prefix } }
            observed { hostname location }
            drift { path before after } }
          configHistory(first: 5) { totalCount nodes { version actor changeId rollback config { hostname } } } } }
        """;

    [Fact]
    public async Task Every_device_starts_at_version_one_taken_from_its_running_config()
    {
        await host.StartAsync(postgres);
        var device = await DeviceInAsync("region-2", last: true);

        var data = await host.DataAsync(host.Token("viewer"), ConfigOf, new JsonObject { ["id"] = device.Key });

        var config = data["device"]!["config"]!;
        Assert.Equal(1, config["version"]!.GetValue<long>());
        Assert.Equal(device.Name, config["intended"]!["hostname"]!.GetValue<string>());
        Assert.All(config["intended"]!["interfaces"]!.AsArray(), i => Assert.Equal(1500, i!["mtu"]!.GetValue<int>()));
        Assert.Equal(["SYSTEM", "SERVICES", "INTERFACES", "ROUTES"], config["sections"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Empty(config["drift"]!.AsArray());
        Assert.Null(config["lockedBy"]);
        var history = data["device"]!["configHistory"]!;
        Assert.Equal(1, history["totalCount"]!.GetValue<int>());
        Assert.Equal("discovery", history["nodes"]![0]!["actor"]!.GetValue<string>());
        Assert.Null(history["nodes"]![0]!["changeId"]);
    }

    [Fact]
    public async Task A_token_limited_to_a_region_sees_no_config_of_another()
    {
        await host.StartAsync(postgres);
        var device = await DeviceInAsync("region-2");

        var (_, body) = await host.PostAsync(host.Token("operator@r1"), ConfigOf, new JsonObject { ["id"] = device.Key });
        var fault = await host.DataAsync(host.Token("operator@r1"), "mutation($id: ID!) { setConfigFault(input: {deviceId: $id, hang: true}) { errors { code } } }", new JsonObject { ["id"] = device.Key });
        var edit = await host.DataAsync(host.Token("operator@r1"), "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id, location: \"x\"}) { errors { code } } }", new JsonObject { ["id"] = device.Key });

        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(body));
        Assert.Equal("NOT_FOUND", fault["setConfigFault"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", edit["setRunningConfig"]!["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_sandbox_input_is_refused_naming_the_field()
    {
        await host.StartAsync(postgres);
        var device = await DeviceInAsync("region-1");
        JsonObject Id() => new() { ["id"] = device.Key };
        var op = host.Token("operator");

        var delay = await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id, delayMs: -1}) { errors { code message field } } }", Id());
        var mtu = await host.DataAsync(op, "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id, interfaces: [{name: \"x\", mtu: 20}]}) { errors { code message } } }", Id());
        var unknown = await host.DataAsync(op, "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id, interfaces: [{name: \"no-such-port\", enabled: false}]}) { errors { code message } } }", Id());
        var prefix = await host.DataAsync(op, "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id, addRoutes: [{prefix: \"10.0.0.0/33\", nextHop: \"192.0.2.1\"}]}) { errors { code message } } }", Id());
        var empty = await host.DataAsync(op, "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id}) { errors { code message } } }", Id());

        Assert.Equal("BAD_USER_INPUT", delay["setConfigFault"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("delayMs", delay["setConfigFault"]!["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("mtu 20", mtu["setRunningConfig"]!["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("no-such-port", unknown["setRunningConfig"]!["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/33", prefix["setRunningConfig"]!["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("BAD_USER_INPUT", empty["setRunningConfig"]!["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_edit_behind_pdsnos_back_raises_drift_once_and_undoing_it_clears_it_once()
    {
        await host.StartAsync(postgres);
        var device = await DeviceInAsync("region-2");
        var q = new ReadModelQueries(host.ConnectionString);
        var op = host.Token("operator");
        JsonObject Id() => new() { ["id"] = device.Key };

        var edited = await host.DataAsync(op, "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id, location: \"closet 9\"}) { device { key } errors { code message } } }", Id());
        Assert.Equal(device.Key, edited["setRunningConfig"]!["device"]!["key"]!.GetValue<string>());
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'ConfigDrift' AND device = $1", device.Key), n => n == 1, TimeSpan.FromSeconds(30), "drift raised");
        var drifting = (await host.DataAsync(host.Token("viewer"), ConfigOf, Id()))["device"]!["config"]!;
        // Several more discovery cycles see the same drift and announce nothing more.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'ConfigDrift' AND device = $1", device.Key));
        Assert.Equal("location", drifting["drift"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("closet 9", drifting["drift"]![0]!["after"]!.GetValue<string>());
        Assert.Equal("closet 9", drifting["observed"]!["location"]!.GetValue<string>());
        Assert.Equal("", drifting["intended"]!["location"]!.GetValue<string>());
        Assert.Equal("location", await q.TextAsync("SELECT new_value FROM events WHERE type = 'ConfigDrift' AND device = $1", device.Key));

        await host.DataAsync(op, "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id, location: \"\"}) { errors { code } } }", Id());
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'ConfigDriftCleared' AND device = $1", device.Key), n => n == 1, TimeSpan.FromSeconds(30), "drift cleared");
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'ConfigDriftCleared' AND device = $1", device.Key));
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'ConfigDrift' AND device = $1", device.Key));
        Assert.Empty((await host.DataAsync(host.Token("viewer"), ConfigOf, Id()))["device"]!["config"]!["drift"]!.AsArray());
    }

    [Theory]
    [InlineData("region-1")]
    [InlineData("region-2")]
    public async Task An_interface_shut_down_on_the_device_takes_its_link_down_at_the_next_discovery_and_back_up(string farRegion)
    {
        await host.StartAsync(postgres);
        var q = new ReadModelQueries(host.ConnectionString);
        // The far end in the other region learns of it from its own region's discovery.
        var link = (await q.TextAsync(
            "SELECT link FROM links l JOIN devices a ON a.device = l.device_a JOIN devices b ON b.device = l.device_b WHERE l.status = 'UP' AND a.region = 'region-1' AND b.region = $1 ORDER BY link LIMIT 1",
            farRegion))!;
        var deviceA = (await q.TextAsync("SELECT device_a FROM links WHERE link = $1", link))!;
        var interfaceA = (await q.TextAsync("SELECT interface_a FROM links WHERE link = $1", link))!;
        const string Shut = "mutation($id: ID!, $name: String!, $on: Boolean!) { setRunningConfig(input: {deviceId: $id, interfaces: [{name: $name, enabled: $on}]}) { errors { code message } } }";
        var since = await q.ScalarAsync("SELECT coalesce(max(seq), 0) FROM events");

        var shut = await host.DataAsync(host.Token("operator@r1"), Shut, new JsonObject { ["id"] = deviceA, ["name"] = interfaceA, ["on"] = false });
        Assert.Empty(shut["setRunningConfig"]!["errors"]!.AsArray());
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM links WHERE link = $1", link), s => s == "DOWN", TimeSpan.FromSeconds(30), "link down");

        Assert.Equal("DOWN", await q.TextAsync("SELECT admin_status FROM interfaces WHERE device = $1 AND name = $2", deviceA, interfaceA));
        Assert.Equal("DOWN", await q.TextAsync("SELECT oper_status FROM interfaces WHERE device = $1 AND name = $2", deviceA, interfaceA));
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'LinkDown' AND link = $1 AND seq > $2", link, since));
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'ConfigDrift' AND device = $1 AND seq > $2", deviceA, since));

        await host.DataAsync(host.Token("operator@r1"), Shut, new JsonObject { ["id"] = deviceA, ["name"] = interfaceA, ["on"] = true });
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM links WHERE link = $1", link), s => s == "UP", TimeSpan.FromSeconds(30), "link up again");
        Assert.Equal("UP", await q.TextAsync("SELECT admin_status FROM interfaces WHERE device = $1 AND name = $2", deviceA, interfaceA));
    }

    // Each test edits its own device: region-1's links for the link test, region-2's first device for drift, its last for the baseline.
    private async Task<(string Key, string Name)> DeviceInAsync(string region, bool last = false)
    {
        var q = new ReadModelQueries(host.ConnectionString);
        var key = (await q.TextAsync($"SELECT device FROM devices WHERE region = $1 AND intended_config IS NOT NULL ORDER BY device{(last ? " DESC" : "")} LIMIT 1", region))!;
        return (key, (await q.TextAsync("SELECT name FROM devices WHERE device = $1", key))!);
    }
}
