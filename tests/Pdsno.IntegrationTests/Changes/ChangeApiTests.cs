using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Changes;

/// <summary>
/// Governed changes over GraphQL on the real host, PostgreSQL and the simulated driver, with a token of each role: the
/// LOW, MEDIUM and HIGH flows, refusals with their typed codes, rollback and degradation, emergencies, locks, tenancy
/// and the changeUpdated subscription.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ChangeApiTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string ChangeFields = """
        id key title status sensitivity reasons emergency acknowledged approvalsNeeded failure
        targets { deviceKey deviceName regionKey diff { path before after } unifiedDiff result { status message } rollback { status } }
        impact { linksDown { linkKey } devicesIsolatedKeys intents }
        approvals { approver decision comment }
        token { expiresAt redeemed }
        history { from to actor note }
        """;

    [Fact]
    public async Task A_low_change_is_applied_and_read_back_its_token_spends_once_and_the_subscription_sees_each_transition()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-1", 0);
        var op = host.Token("operator");

        var change = Change(await ProposeAsync(op, "rack label", Target(device.Key, new JsonObject { ["location"] = "rack 12" })));
        Assert.Equal(("APPROVED", "LOW"), (Text(change, "status"), Text(change, "sensitivity")));
        Assert.Equal("location", change["targets"]![0]!["diff"]![0]!["path"]!.GetValue<string>());
        Assert.Contains("+location rack 12", Text(change["targets"]![0]!, "unifiedDiff"), StringComparison.Ordinal);

        await using var socket = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, host.Token("viewer"));
        await socket.SubscribeAsync("c", "subscription($id: ID!) { changeUpdated(since: 0, changeId: $id) { type oldStatus newStatus changeKey change { status } } }", new JsonObject { ["id"] = Text(change, "id") });

        var done = Change(await ActAsync(op, "executeChange", Text(change, "id")));
        Assert.Equal("APPLIED", Text(done, "status"));
        Assert.Equal("APPLIED", done["targets"]![0]!["result"]!["status"]!.GetValue<string>());
        Assert.True(done["token"]!["redeemed"]!.GetValue<bool>());
        var config = await host.DataAsync(op, "query($id: ID!) { device(id: $id) { config { intended { location } lockedBy } configHistory(first: 5) { nodes { changeId } } } }", Id(device.Key));
        Assert.Equal("rack 12", config["device"]!["config"]!["intended"]!["location"]!.GetValue<string>());
        Assert.Null(config["device"]!["config"]!["lockedBy"]);
        Assert.Contains(config["device"]!["configHistory"]!["nodes"]!.AsArray(), n => (string?)n!["changeId"] == Text(change, "key"));

        Assert.Equal("TOKEN_SPENT", Code(await ActAsync(op, "executeChange", Text(change, "id"))));

        var events = await socket.CollectAsync("c", e => e.Count >= 4, TimeSpan.FromSeconds(20));
        Assert.Equal(["PENDING_APPROVAL", "APPROVED", "EXECUTING", "APPLIED"], events.Select(e => e["changeUpdated"]!["newStatus"]!.GetValue<string>()));
        Assert.Equal(["CHANGE_PROPOSED", "CHANGE_APPROVED", "CHANGE_EXECUTING", "CHANGE_COMPLETED"], events.Select(e => e["changeUpdated"]!["type"]!.GetValue<string>()));
        var listed = await host.DataAsync(host.Token("viewer"), "query($d: ID!) { changes(filter: {deviceId: $d, status: APPLIED}, first: 5) { totalCount nodes { key } } }", new JsonObject { ["d"] = device.Key });
        Assert.Contains(listed["changes"]!["nodes"]!.AsArray(), n => (string?)n!["key"] == Text(change, "key"));
        var pending = await host.DataAsync(host.Token("viewer"), "query($d: ID!) { changes(filter: {deviceId: $d, status: PENDING_APPROVAL}, first: 5) { nodes { key } } }", new JsonObject { ["d"] = device.Key });
        Assert.DoesNotContain(pending["changes"]!["nodes"]!.AsArray(), n => (string?)n!["key"] == Text(change, "key"));
    }

    [Fact]
    public async Task A_medium_change_is_approved_by_a_region_approver_only_never_by_its_proposer_admin_or_another_region()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-1", 1);
        var both = await host.CreateTokenAsync(host.Token("admin"), "op-approver", ["operator", "region-approver"]);
        var otherRegion = await host.CreateTokenAsync(host.Token("admin"), "approver-r2", ["region-approver"], ["region-2"]);

        var change = Change(await ProposeAsync(both, "jumbo frames", Target(device.Key, new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = device.Interface, ["mtu"] = 9000 }) })));
        var id = Text(change, "id");
        Assert.Equal(("PENDING_APPROVAL", "MEDIUM"), (Text(change, "status"), Text(change, "sensitivity")));
        Assert.Contains("region-approver of region-1", Text(change, "approvalsNeeded"), StringComparison.Ordinal);

        Assert.Equal("NOT_APPROVED", Code(await ActAsync(host.Token("operator"), "executeChange", id)));
        Assert.Equal("FORBIDDEN", Code(await ActAsync(both, "approveChange", id)));
        Assert.Equal("NOT_FOUND", Code(await ActAsync(otherRegion, "approveChange", id)));
        var (_, byAdmin) = await host.PostAsync(host.Token("admin"), "mutation($id: ID!) { approveChange(input: {changeId: $id}) { errors { code } } }", Id(id));
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(byAdmin));

        var approved = Change(await ActAsync(host.Token("region-approver"), "approveChange", id, "checked the MTU plan"));
        Assert.Equal("APPROVED", Text(approved, "status"));
        Assert.Equal("checked the MTU plan", approved["approvals"]![0]!["comment"]!.GetValue<string>());
        Assert.Equal("APPLIED", Text(Change(await ActAsync(host.Token("operator"), "executeChange", id)), "status"));
    }

    [Fact]
    public async Task A_high_change_of_two_regions_needs_a_global_approver()
    {
        await host.StartAsync(postgres);
        var a = await AccessDeviceAsync("region-1", 0);
        var b = await AccessDeviceAsync("region-2", 0);

        var change = Change(await ProposeAsync(host.Token("operator"), "contacts", Target(a.Key, new JsonObject { ["contact"] = "noc-a" }), Target(b.Key, new JsonObject { ["contact"] = "noc-b" })));
        var id = Text(change, "id");

        Assert.Equal("HIGH", Text(change, "sensitivity"));
        Assert.Contains(change["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains("2 regions", StringComparison.Ordinal));
        Assert.Equal("FORBIDDEN", Code(await ActAsync(host.Token("region-approver"), "approveChange", id)));
        Assert.Equal("APPROVED", Text(Change(await ActAsync(host.Token("global-approver"), "approveChange", id, "ok")), "status"));
        Assert.Equal("APPLIED", Text(Change(await ActAsync(host.Token("operator"), "executeChange", id)), "status"));
    }

    [Fact]
    public async Task Editing_an_approved_change_withdraws_its_approval_and_the_old_token_is_refused()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-1", 2);
        var op = host.Token("operator");
        var id = Text(Change(await ProposeAsync(op, "name", Target(device.Key, new JsonObject { ["hostname"] = "edge-a" }))), "id");
        Change(await ActAsync(host.Token("region-approver"), "approveChange", id));

        var update = await host.DataAsync(op, $$$"""
            mutation($id: ID!, $d: ID!) { updateChange(input: {changeId: $id, title: "name", targets: [{deviceId: $d, patch: {hostname: "edge-b"}}]}) {
              change { {{{ChangeFields}}} } errors { code message field } } }
            """, new JsonObject { ["id"] = id, ["d"] = device.Key });
        var edited = update["updateChange"]!["change"]!;

        Assert.Equal("PENDING_APPROVAL", Text(edited, "status"));
        Assert.Empty(edited["approvals"]!.AsArray());
        Assert.Null(edited["token"]);
        Assert.Equal("EDITED_AFTER_APPROVAL", Code(await ActAsync(op, "executeChange", id)));
    }

    [Fact]
    public async Task Invalid_proposals_name_the_field_and_store_nothing()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-1", 3);
        var before = (await host.DataAsync(host.Token("viewer"), "{ changes(first: 1) { totalCount } }"))["changes"]!["totalCount"]!.GetValue<int>();

        var body = await ProposeAsync(host.Token("operator"), "bad",
            Target(device.Key, new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "eth99", ["enabled"] = false }) }),
            Target(device.Key, new JsonObject { ["addRoutes"] = new JsonArray(new JsonObject { ["prefix"] = "10.1.2.3/16", ["nextHop"] = "10.0.0.1" }) }));
        var errors = body["errors"]!.AsArray();
        var unknown = await ProposeAsync(host.Token("operator"), "bad", Target(device.Key, new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "eth99", ["mtu"] = 100000 }) }));

        Assert.Contains(errors, e => Text(e!, "message").StartsWith("targets[1].deviceId: device '", StringComparison.Ordinal) && Text(e!, "code") == "BAD_USER_INPUT");
        Assert.Contains(errors, e => Text(e!, "message").Contains("did you mean 10.1.0.0/16", StringComparison.Ordinal));
        Assert.Contains(unknown["errors"]!.AsArray(), e => Text(e!, "message") == "targets[0].patch.interfaces[eth99].mtu: MTU 100000 is outside 68..9216");
        var missing = await ProposeAsync(host.Token("operator"), "bad", Target(device.Key, new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "eth99", ["enabled"] = false }) }));
        Assert.Equal($"targets[0].patch.interfaces[eth99]: no interface eth99 on device region-1/{device.Name}", Text(missing["errors"]![0]!, "message"));
        Assert.Equal(["input", "targets", "0", "patch", "interfaces", "eth99"], missing["errors"]![0]!["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(before, (await host.DataAsync(host.Token("viewer"), "{ changes(first: 1) { totalCount } }"))["changes"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_failing_third_target_restores_the_first_two_and_their_read_back_equals_the_previous_config()
    {
        await host.StartAsync(postgres);
        var devices = new[] { await AccessDeviceAsync("region-1", 3), await AccessDeviceAsync("region-1", 4), await AccessDeviceAsync("region-1", 5) };
        var op = host.Token("operator");
        var previous = new List<string>();
        foreach (var d in devices.Take(2))
        {
            previous.Add((await ConfigAsync(d.Key))["intended"]!.ToJsonString());
        }

        await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id, applyFails: true}) { errors { code } } }", Id(devices[2].Key));
        try
        {
            var id = Text(Change(await ProposeAsync(op, "contacts", [.. devices.Select(d => Target(d.Key, new JsonObject { ["contact"] = "ops " + d.Name }))])), "id");
            var failed = Change(await ActAsync(op, "executeChange", id));

            Assert.Equal("FAILED_ROLLED_BACK", Text(failed, "status"));
            Assert.Equal(["APPLIED", "APPLIED", "FAILED"], failed["targets"]!.AsArray().Select(t => t!["result"]!["status"]!.GetValue<string>()));
            Assert.Equal(["APPLIED", "APPLIED"], failed["targets"]!.AsArray().Take(2).Select(t => t!["rollback"]!["status"]!.GetValue<string>()));
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(previous[i], (await ConfigAsync(devices[i].Key))["intended"]!.ToJsonString());
                // Discovery reads the running config back: it is the previous one again, so there is no drift.
                var d = devices[i];
                await Eventually.ValueAsync(async () => (await ConfigAsync(d.Key))["observed"]?["contact"]?.GetValue<string>(), c => c is not null && c != "ops " + d.Name, TimeSpan.FromSeconds(20), "observed contact restored");
                Assert.Empty((await ConfigAsync(devices[i].Key))["drift"]!.AsArray());
            }
        }
        finally
        {
            await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id}) { errors { code } } }", Id(devices[2].Key));
        }
    }

    [Fact]
    public async Task A_rollback_that_fails_leaves_the_change_failed_degraded_and_the_device_degraded_with_an_event()
    {
        await host.StartAsync(postgres);
        var a = await AccessDeviceAsync("region-2", 3);
        var b = await AccessDeviceAsync("region-2", 4);
        var op = host.Token("operator");
        await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id, rollbackFails: true}) { errors { code } } }", Id(a.Key));
        await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id, applyFails: true}) { errors { code } } }", Id(b.Key));
        try
        {
            var id = Text(Change(await ProposeAsync(op, "contacts", Target(a.Key, new JsonObject { ["contact"] = "x" }), Target(b.Key, new JsonObject { ["contact"] = "y" }))), "id");
            var failed = Change(await ActAsync(op, "executeChange", id));

            Assert.Equal("FAILED_DEGRADED", Text(failed, "status"));
            var device = await host.DataAsync(op, "query($id: ID!) { device(id: $id) { status config { degradedReason } } }", Id(a.Key));
            Assert.Equal("DEGRADED", device["device"]!["status"]!.GetValue<string>());
            Assert.Contains("rollback", device["device"]!["config"]!["degradedReason"]!.GetValue<string>(), StringComparison.Ordinal);
            var q = new ReadModelQueries(host.ConnectionString);
            Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'DeviceDegraded' AND device = $1", a.Key));
        }
        finally
        {
            foreach (var d in new[] { a, b })
            {
                await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id}) { errors { code } } }", Id(d.Key));
            }
        }
    }

    [Fact]
    public async Task A_device_held_by_an_executing_change_refuses_another_naming_the_holder()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-2", 5);
        var op = host.Token("operator");
        await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id, delayMs: 3000}) { errors { code } } }", Id(device.Key));
        try
        {
            var slow = Change(await ProposeAsync(op, "slow", Target(device.Key, new JsonObject { ["location"] = "slow" })));
            var quick = Change(await ProposeAsync(op, "quick", Target(device.Key, new JsonObject { ["contact"] = "quick" })));
            var running = ActAsync(op, "executeChange", Text(slow, "id"));
            var q = new ReadModelQueries(host.ConnectionString);
            await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM changes WHERE change = $1 AND status = 'EXECUTING'", Text(slow, "key")), n => n == 1, TimeSpan.FromSeconds(10), "slow change executing");

            var refused = await ActAsync(op, "executeChange", Text(quick, "id"));

            Assert.Equal("DEVICE_LOCKED", Code(refused));
            Assert.Contains($"locked by change {Text(slow, "key")}", Text(refused["errors"]![0]!, "message"), StringComparison.Ordinal);
            Assert.Equal("APPLIED", Text(Change(await running), "status"));
            Assert.Equal("APPROVED", Text((await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status } }", Id(Text(quick, "id"))))["change"]!, "status"));
        }
        finally
        {
            await host.DataAsync(op, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id}) { errors { code } } }", Id(device.Key));
        }
    }

    [Fact]
    public async Task Emergencies_are_rate_limited_per_tenant_and_acknowledged_by_a_global_approver()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-2", 1);
        var op = host.Token("operator");
        await host.DataAsync(host.Token("admin"), "mutation { setChangePolicy(input: {emergenciesPerHour: 1}) { errors { code } } }");
        // The policy's own bounds answer: a token lifetime under a minute is refused, naming it.
        var tooShort = (await host.DataAsync(host.Token("admin"), "mutation { setChangePolicy(input: {tokenLifetimeSeconds: 30}) { errors { code message } } }"))["setChangePolicy"]!["errors"]![0]!;
        Assert.Equal("BAD_USER_INPUT", Text(tooShort, "code"));
        Assert.Contains("tokenLifetime", Text(tooShort, "message"), StringComparison.Ordinal);

        var first = Change(await ProposeAsync(op, "outage", true, Target(device.Key, new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = device.Interface, ["enabled"] = false }) })));
        var second = await ProposeAsync(op, "outage", true, Target(device.Key, new JsonObject { ["contact"] = "x" }));

        Assert.Equal(("APPROVED", "EMERGENCY"), (Text(first, "status"), Text(first, "sensitivity")));
        Assert.False(first["acknowledged"]!.GetValue<bool>());
        Assert.Equal("RATE_LIMITED", Text(second["errors"]![0]!, "code"));
        var (_, byOperator) = await host.PostAsync(op, "mutation($id: ID!) { acknowledgeEmergency(input: {changeId: $id}) { errors { code } } }", Id(Text(first, "id")));
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(byOperator));
        Assert.True(Change(await ActAsync(host.Token("global-approver"), "acknowledgeEmergency", Text(first, "id"), "seen"))["acknowledged"]!.GetValue<bool>());
        Assert.Equal("CANCELLED", Text(Change(await ActAsync(op, "cancelChange", Text(first, "id"))), "status"));
    }

    [Fact]
    public async Task Another_tenant_finds_no_change_and_a_region_token_sees_none_of_another_region()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-2", 2);
        var change = Change(await ProposeAsync(host.Token("operator"), "tenancy", Target(device.Key, new JsonObject { ["hostname"] = "other-name" })));
        var created = await host.DataAsync(host.Token("admin"), "mutation { createTenant(input: {id: \"changes-other\"}) { secret errors { code } } }");
        var stranger = created["createTenant"]!["secret"]!.GetValue<string>();

        var (_, body) = await host.PostAsync(stranger, "query($id: ID!) { change(id: $id) { id } }", Id(Text(change, "id")));
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(body));
        Assert.Equal("NOT_FOUND", Code(await ActAsync(stranger, "executeChange", Text(change, "id"))));
        Assert.Equal("NOT_FOUND", Code(await ActAsync(stranger, "cancelChange", Text(change, "key"))));
        var (_, scoped) = await host.PostAsync(host.Token("operator@r1"), "query($id: ID!) { change(id: $id) { id } }", Id(Text(change, "id")));
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(scoped));
        Assert.Equal("NOT_FOUND", Code(await ActAsync(host.Token("operator@r1"), "cancelChange", Text(change, "id"))));
        var listed = await host.DataAsync(host.Token("operator@r1"), "{ changes(filter: {regionId: \"region-2\"}, first: 50) { totalCount } }");
        Assert.Equal(0, listed["changes"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Restoring_an_earlier_version_proposes_the_change_back_to_it()
    {
        await host.StartAsync(postgres);
        var device = await AccessDeviceAsync("region-1", 5);
        var op = host.Token("operator");
        var original = (await ConfigAsync(device.Key))["intended"]!["contact"]!.GetValue<string>();
        var first = (await host.DataAsync(op, "query($id: ID!) { device(id: $id) { config { version } } }", Id(device.Key)))["device"]!["config"]!["version"]!.GetValue<long>();
        Assert.Equal("APPLIED", Text(Change(await ActAsync(op, "executeChange", Text(Change(await ProposeAsync(op, "contact", Target(device.Key, new JsonObject { ["contact"] = "restore me" }))), "id"))), "status"));

        var restore = await host.DataAsync(op, $$"""
            mutation($d: ID!, $v: Long!) { restoreConfig(input: {deviceId: $d, version: $v}) { change { {{ChangeFields}} } errors { code message } } }
            """, new JsonObject { ["d"] = device.Key, ["v"] = first });
        var change = Change(restore["restoreConfig"]!);
        var missing = await host.DataAsync(op, "mutation($d: ID!) { restoreConfig(input: {deviceId: $d, version: 999}) { errors { code message } } }", new JsonObject { ["d"] = device.Key });

        Assert.Equal(["contact"], change["targets"]![0]!["diff"]!.AsArray().Select(d => d!["path"]!.GetValue<string>()));
        Assert.Equal(original, change["targets"]![0]!["diff"]![0]!["after"]!.GetValue<string>());
        Assert.Equal("APPLIED", Text(Change(await ActAsync(op, "executeChange", Text(change, "id"))), "status"));
        Assert.Equal(original, (await ConfigAsync(device.Key))["intended"]!["contact"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", Code(missing["restoreConfig"]!));
    }

    private async Task<JsonNode> ProposeAsync(string token, string title, params JsonObject[] targets) => await ProposeAsync(token, title, false, targets);

    private async Task<JsonNode> ProposeAsync(string token, string title, bool emergency, params JsonObject[] targets)
    {
        var data = await host.DataAsync(token, $$"""
            mutation($input: ProposeChangeInput!) { proposeChange(input: $input) { change { {{ChangeFields}} } errors { code message field } } }
            """, new JsonObject { ["input"] = new JsonObject { ["title"] = title, ["reason"] = emergency ? "link flapping" : null, ["emergency"] = emergency, ["targets"] = new JsonArray([.. targets]) } });
        return data["proposeChange"]!;
    }

    private async Task<JsonNode> ActAsync(string token, string mutation, string id, string? comment = null)
    {
        var data = await host.DataAsync(token, $$"""
            mutation($input: ChangeActionInput!) { {{mutation}}(input: $input) { change { {{ChangeFields}} } errors { code message field } } }
            """, new JsonObject { ["input"] = new JsonObject { ["changeId"] = id, ["comment"] = comment } });
        return data[mutation]!;
    }

    private async Task<JsonNode> ConfigAsync(string device) =>
        (await host.DataAsync(host.Token("viewer"), "query($id: ID!) { device(id: $id) { config { intended { hostname location contact interfaces { name enabled mtu description } routes { prefix } } observed { contact } drift { path } } } }", Id(device)))["device"]!["config"]!;

    private async Task<(string Key, string Name, string Interface)> AccessDeviceAsync(string region, int index)
    {
        var q = new ReadModelQueries(host.ConnectionString);
        var key = await q.TextAsync("SELECT device FROM devices WHERE region = $1 AND role = 'access' ORDER BY device OFFSET $2 LIMIT 1", region, index)
            ?? throw new InvalidOperationException($"no access device {index} in {region}");
        var name = (await q.TextAsync("SELECT name FROM devices WHERE device = $1", key))!;
        var iface = (await q.TextAsync("SELECT name FROM interfaces WHERE device = $1 ORDER BY if_index LIMIT 1", key))!;
        return (key, name, iface);
    }

    private static JsonObject Target(string device, JsonObject patch) => new() { ["deviceId"] = device, ["patch"] = patch };

    private static JsonObject Id(string id) => new() { ["id"] = id };

    private static JsonNode Change(JsonNode payload)
    {
        Assert.True(payload["errors"]!.AsArray().Count == 0, payload.ToJsonString());
        return payload["change"]!;
    }

    private static string Code(JsonNode payload) => payload["errors"]![0]!["code"]!.GetValue<string>();

    private static string Text(JsonNode node, string field) => node[field]!.GetValue<string>();
}
