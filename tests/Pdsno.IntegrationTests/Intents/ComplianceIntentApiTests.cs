using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Intents;

/// <summary>
/// Compliance intents over GraphQL on the real host, PostgreSQL and the simulated network: stored and installed through
/// one governed change (held for an approver when NTP servers change), or in parts when more devices need fixing than
/// one change may carry, every selected device then compliant; a device
/// that a later change or an edit at its console makes non-compliant gets a remediation change, run at once when the
/// intent says autoRemediate and the change is LOW, left for an operator otherwise; two intents setting one key of one
/// device differently are in CONFLICT naming each other, with nothing installed, until the other is withdrawn.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ComplianceIntentApiTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string Fields = """
        key state reason changeKeys complianceSpec { ntpServers locationTemplate autoRemediate }
        compliance(first: 100) { totalCount hasNextPage devices { deviceKey compliant reasons } }
        history { from to note changeKey }
        """;

    private const string Create = "mutation($input: IntentInput!) { createIntent(input: $input) { intent { " + Fields + " } errors { code message field } } }";
    private const string Get = "query($id: ID!) { intent(id: $id) { " + Fields + " } }";
    private const string ConfigOf = "query($id: ID!) { device(id: $id) { config { intended { location ntpServers } observed { location } drift { path } } } }";

    [Fact]
    public async Task An_ntp_intent_waits_for_its_approver_then_every_device_complies_and_a_device_changed_later_gets_a_remediation_change_left_for_an_operator()
    {
        await StartAsync();
        var op = host.Token("operator");
        var devices = await DevicesAsync("r1-acc-");
        Assert.True(devices.Count >= 3, $"region 1 has {devices.Count} access devices");

        var created = (await host.DataAsync(op, Create, Input("ntp-r1", "r1-acc-*", ntp: ["10.9.9.1", "10.9.9.2"], location: "dc-{region}")))["createIntent"]!;
        Assert.Empty(created["errors"]!.AsArray());
        var intent = created["intent"]!;
        // NTP servers make the change MEDIUM: it waits for a regional approver.
        Assert.Equal("PENDING_APPROVAL", Text(intent, "state"));
        var install = Assert.Single(Strings(intent["changeKeys"]!));
        var compliance = intent["compliance"]!;
        Assert.Equal(devices.Count, compliance["totalCount"]!.GetValue<int>());
        Assert.All(compliance["devices"]!.AsArray(), d =>
        {
            Assert.False(d!["compliant"]!.GetValue<bool>());
            Assert.Contains(Strings(d["reasons"]!), r => r.StartsWith("ntpServers: has [", StringComparison.Ordinal) && r.EndsWith("wants [10.9.9.1, 10.9.9.2]", StringComparison.Ordinal));
        });
        var change = (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status sensitivity intentKey targets { deviceKey } } }", Id(install)))["change"]!;
        Assert.Equal(("PENDING_APPROVAL", "MEDIUM", "ntp-r1"), (Text(change, "status"), Text(change, "sensitivity"), Text(change, "intentKey")));
        Assert.Equal(devices.Order(StringComparer.Ordinal), Strings(change["targets"]!.AsArray().Select(t => t!["deviceKey"]!)).Order(StringComparer.Ordinal));

        await ApproveAndExecuteAsync(install);
        var installed = await StateAsync("ntp-r1", "INSTALLED");
        Assert.All(installed["compliance"]!["devices"]!.AsArray(), d => Assert.True(d!["compliant"]!.GetValue<bool>(), d.ToJsonString()));
        foreach (var device in devices)
        {
            var config = (await host.DataAsync(op, ConfigOf, Id(device)))["device"]!["config"]!["intended"]!;
            Assert.Equal(["10.9.9.1", "10.9.9.2"], Strings(config["ntpServers"]!));
            Assert.Equal("dc-region-1", Text(config, "location"));
        }

        // Another change moves one device's location: a LOW change, run at once.
        var moved = devices[0];
        var other = (await host.DataAsync(op, "mutation($id: ID!) { proposeChange(input: {title: \"move\", execute: true, targets: [{deviceId: $id, patch: {location: \"closet 4\"}}]}) { change { status } errors { message } } }", Id(moved)))["proposeChange"]!;
        Assert.Equal("APPLIED", Text(other["change"]!, "status"));

        // The intent does not remediate on its own: the change is proposed (approved by the region, LOW) and waits for an operator.
        var pending = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, Get, Id("ntp-r1")))["intent"]!,
            i => Text(i, "state") == "PENDING_APPROVAL" && i["changeKeys"]!.AsArray().Count == 2,
            TimeSpan.FromSeconds(30),
            "ntp-r1 proposes a remediation change");
        var offender = pending["compliance"]!["devices"]!.AsArray().Single(d => !d!["compliant"]!.GetValue<bool>())!;
        Assert.Equal(moved, Text(offender, "deviceKey"));
        Assert.Equal(["location: has 'closet 4', wants 'dc-region-1'"], Strings(offender["reasons"]!));
        var remediation = Strings(pending["changeKeys"]!)[1];
        var proposed = (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status sensitivity reason targets { deviceKey patch { location ntpServers } } } }", Id(remediation)))["change"]!;
        Assert.Equal(("APPROVED", "LOW"), (Text(proposed, "status"), Text(proposed, "sensitivity")));
        Assert.Contains($"{moved} (location: has 'closet 4', wants 'dc-region-1')", Text(proposed, "reason"), StringComparison.Ordinal);
        var target = Assert.Single(proposed["targets"]!.AsArray())!;
        Assert.Equal((moved, "dc-region-1"), (Text(target, "deviceKey"), Text(target["patch"]!, "location")));
        Assert.Null(target["patch"]!["ntpServers"]);

        // The read model finds the intent by a device it selects.
        var covering = (await host.DataAsync(op, "query($id: ID!) { intents(first: 10, filter: {deviceId: $id, kind: COMPLIANCE}) { nodes { key } } }", Id(moved)))["intents"]!["nodes"]!.AsArray();
        Assert.Contains("ntp-r1", covering.Select(n => Text(n!, "key")));

        var executed = (await host.DataAsync(op, "mutation($id: ID!) { executeChange(input: {changeId: $id}) { change { status } errors { message } } }", Id(remediation)))["executeChange"]!;
        Assert.Equal("APPLIED", Text(executed["change"]!, "status"));
        var healed = await StateAsync("ntp-r1", "INSTALLED");
        Assert.All(healed["compliance"]!["devices"]!.AsArray(), d => Assert.True(d!["compliant"]!.GetValue<bool>(), d.ToJsonString()));
        Assert.Equal(2, healed["changeKeys"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_location_intent_with_autoRemediate_puts_back_an_edit_at_a_device_console_by_a_LOW_change_at_once_and_withdrawing_keeps_the_config()
    {
        await StartAsync();
        var op = host.Token("operator");
        var devices = await DevicesAsync("r2-acc-");

        var created = (await host.DataAsync(op, Create, Input("loc-r2", "r2-acc-*", location: "{region}/{name}", autoRemediate: true)))["createIntent"]!;
        Assert.Empty(created["errors"]!.AsArray());
        // Only a location changes: LOW, applied in the same request.
        Assert.Equal("INSTALLED", Text(created["intent"]!, "state"));
        Assert.Single(created["intent"]!["changeKeys"]!.AsArray());
        Assert.All(created["intent"]!["compliance"]!["devices"]!.AsArray(), d => Assert.True(d!["compliant"]!.GetValue<bool>(), d.ToJsonString()));

        // Someone edits a device's running config at its console; discovery sees the drift.
        var edited = devices[^1];
        var name = (await host.DataAsync(op, "query($id: ID!) { device(id: $id) { name } }", Id(edited)))["device"]!["name"]!.GetValue<string>();
        var edit = (await host.DataAsync(op, "mutation($id: ID!) { setRunningConfig(input: {deviceId: $id, location: \"closet 9\"}) { errors { code message } } }", Id(edited)))["setRunningConfig"]!;
        Assert.Empty(edit["errors"]!.AsArray());

        var remediated = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, Get, Id("loc-r2")))["intent"]!,
            i => i["changeKeys"]!.AsArray().Count >= 2 && Text(i, "state") == "INSTALLED",
            TimeSpan.FromSeconds(45),
            "loc-r2 remediates the drift");
        var remediation = Strings(remediated["changeKeys"]!)[1];
        var change = (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status sensitivity intentKey targets { deviceKey } } }", Id(remediation)))["change"]!;
        Assert.Equal(("APPLIED", "LOW", "loc-r2"), (Text(change, "status"), Text(change, "sensitivity"), Text(change, "intentKey")));
        Assert.Equal([edited], Strings(change["targets"]!.AsArray().Select(t => t!["deviceKey"]!)));
        var config = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, ConfigOf, Id(edited)))["device"]!["config"]!,
            c => c["observed"] is { } o && Text(o, "location") != "closet 9" && c["drift"]!.AsArray().Count == 0,
            TimeSpan.FromSeconds(30),
            "the device runs the intended location again");
        Assert.Equal($"region-2/{name}", Text(config["observed"]!, "location"));
        // A burst of discovery events made one remediation change, not one per event.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var settled = (await host.DataAsync(op, Get, Id("loc-r2")))["intent"]!;
        Assert.Equal(2, settled["changeKeys"]!.AsArray().Count);
        Assert.All(settled["compliance"]!["devices"]!.AsArray(), d => Assert.True(d!["compliant"]!.GetValue<bool>(), d.ToJsonString()));

        var withdrawn = (await host.DataAsync(op, "mutation { withdrawIntent(input: {id: \"loc-r2\"}) { intent { state changeKeys } errors { code } } }"))["withdrawIntent"]!;
        Assert.Equal("WITHDRAWN", Text(withdrawn["intent"]!, "state"));
        Assert.Equal(2, withdrawn["intent"]!["changeKeys"]!.AsArray().Count);
        Assert.Equal($"region-2/{name}", Text((await host.DataAsync(op, ConfigOf, Id(edited)))["device"]!["config"]!["intended"]!, "location"));
    }

    [Fact]
    public async Task Two_compliance_intents_setting_one_key_of_one_device_differently_are_in_conflict_naming_the_other_and_install_nothing()
    {
        await StartAsync();
        var op = host.Token("operator");
        var first = (await host.DataAsync(op, Create, Input("dns-a", "r2-dist-*", dns: ["10.53.0.1"])))["createIntent"]!["intent"]!;
        Assert.Equal("PENDING_APPROVAL", Text(first, "state"));

        var second = (await host.DataAsync(op, Create, Input("dns-b", "r2-dist-1", dns: ["10.53.0.2"])))["createIntent"]!;
        Assert.Empty(second["errors"]!.AsArray());
        var conflict = second["intent"]!;
        Assert.Equal("CONFLICT", Text(conflict, "state"));
        Assert.Contains("'dns-a'", Text(conflict, "reason"), StringComparison.Ordinal);
        Assert.Contains("dnsServers", Text(conflict, "reason"), StringComparison.Ordinal);
        Assert.Empty(conflict["changeKeys"]!.AsArray());

        // The same value is no conflict.
        var agreeing = (await host.DataAsync(op, Create, Input("dns-c", "r2-dist-2", dns: ["10.53.0.1"], location: "dist")))["createIntent"]!["intent"]!;
        Assert.NotEqual("CONFLICT", Text(agreeing, "state"));

        // Withdrawing the intent it conflicts with places it again: its change (DNS, MEDIUM) waits for an approver.
        var gone = (await host.DataAsync(op, "mutation { withdrawIntent(input: {id: \"dns-a\"}) { intent { state } errors { code } } }"))["withdrawIntent"]!;
        Assert.Equal("WITHDRAWN", Text(gone["intent"]!, "state"));
        var placed = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, Get, Id("dns-b")))["intent"]!,
            i => Text(i, "state") != "CONFLICT",
            TimeSpan.FromSeconds(30),
            "dns-b placed again once dns-a is withdrawn");
        Assert.Equal("PENDING_APPROVAL", Text(placed, "state"));
        Assert.Single(placed["changeKeys"]!.AsArray());

        // Bad input names the field and stores nothing.
        var bad = (await host.DataAsync(op, Create, Input("dns-bad", "r2-*", dns: ["not an address"])))["createIntent"]!;
        Assert.Null(bad["intent"]);
        Assert.Equal("BAD_USER_INPUT", Text(bad["errors"]![0]!, "code"));
        Assert.StartsWith("input.compliance.dnsServers", Text(bad["errors"]![0]!, "message"), StringComparison.Ordinal);
        var (_, missing) = await host.PostAsync(op, Get, Id("dns-bad"));
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(missing));
    }

    [Fact]
    public async Task A_device_that_joins_the_selector_later_gets_a_remediation_change()
    {
        await StartAsync();
        var op = host.Token("operator");
        var created = (await host.DataAsync(op, Create, Input("loc-ny", "new-york", location: "{region}/{name}", autoRemediate: true)))["createIntent"]!["intent"]!;
        // Nothing is selected yet: installed with no change.
        Assert.Equal("INSTALLED", Text(created, "state"));
        Assert.Empty(created["changeKeys"]!.AsArray());
        Assert.Equal(0, created["compliance"]!["totalCount"]!.GetValue<int>());

        var import = (await host.DataAsync(host.Token("admin"), "mutation { importTopology(input: {regionId: \"zoo-c\", zooFile: \"Abilene\", name: \"abilene-c\"}) { devicesImported errors { code message } } }"))["importTopology"]!;
        Assert.Empty(import["errors"]!.AsArray());

        var joined = await Eventually.ValueAsync(
            async () => (await host.DataAsync(op, Get, Id("loc-ny")))["intent"]!,
            i => i["changeKeys"]!.AsArray().Count == 1 && Text(i, "state") == "INSTALLED" && i["compliance"]!["totalCount"]!.GetValue<int>() == 1,
            TimeSpan.FromSeconds(60),
            "loc-ny remediates the imported new-york");
        var device = Assert.Single(joined["compliance"]!["devices"]!.AsArray())!;
        Assert.True(device["compliant"]!.GetValue<bool>(), device.ToJsonString());
        var config = (await host.DataAsync(op, ConfigOf, Id(Text(device, "deviceKey"))))["device"]!["config"]!["intended"]!;
        Assert.Equal("zoo-c/new-york", Text(config, "location"));
    }

    [Fact]
    public async Task A_selector_larger_than_one_change_may_carry_is_installed_in_parts_at_once_when_LOW_and_after_each_approval_otherwise()
    {
        await StartAsync();
        var op = host.Token("operator");

        // LOW (a location): one device a change, each part run at once; createIntent answers INSTALLED.
        await MaxTargetsAsync(1);
        var distribution = await DevicesAsync("r1-dist-");
        Assert.True(distribution.Count >= 2, $"region 1 has {distribution.Count} distribution devices");
        var located = (await host.DataAsync(op, Create, Input("loc-parts", "r1-dist-*", location: "{region}/{name}/parts")))["createIntent"]!["intent"]!;
        Assert.Equal("INSTALLED", Text(located, "state"));
        var parts = Strings(located["changeKeys"]!);
        Assert.Equal(distribution.Count, parts.Count);
        foreach (var part in parts)
        {
            var change = (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { status targets { deviceKey } } }", Id(part)))["change"]!;
            Assert.Equal("APPLIED", Text(change, "status"));
            Assert.Single(change["targets"]!.AsArray());
        }

        Assert.Contains(located["history"]!.AsArray(), h => h!["note"]?.GetValue<string>() is { } note && note.Contains("more device", StringComparison.Ordinal));
        Assert.All(located["compliance"]!["devices"]!.AsArray(), d => Assert.True(d!["compliant"]!.GetValue<bool>(), d.ToJsonString()));

        // MEDIUM (DNS servers): two devices a change; the next part is proposed when an approver let the one before run.
        await MaxTargetsAsync(2);
        var access = await DevicesAsync("r1-acc-");
        Assert.True(access.Count >= 3, $"region 1 has {access.Count} access devices");
        var created = (await host.DataAsync(op, Create, Input("dns-parts", "r1-acc-*", dns: ["10.53.9.1"])))["createIntent"]!["intent"]!;
        Assert.Equal("PENDING_APPROVAL", Text(created, "state"));
        var approved = new List<string>();
        var intent = created;
        while (Text(intent, "state") != "INSTALLED")
        {
            Assert.Equal("PENDING_APPROVAL", Text(intent, "state"));
            var waiting = Strings(intent["changeKeys"]!)[^1];
            Assert.DoesNotContain(waiting, approved);
            var targets = (await host.DataAsync(op, "query($id: ID!) { change(id: $id) { targets { deviceKey } } }", Id(waiting)))["change"]!["targets"]!.AsArray();
            Assert.InRange(targets.Count, 1, 2);
            await ApproveAndExecuteAsync(waiting);
            approved.Add(waiting);
            intent = await Eventually.ValueAsync(
                async () => (await host.DataAsync(op, Get, Id("dns-parts")))["intent"]!,
                i => Text(i, "state") == "INSTALLED" || (Text(i, "state") == "PENDING_APPROVAL" && !approved.Contains(Strings(i["changeKeys"]!)[^1])),
                TimeSpan.FromSeconds(30),
                "dns-parts proposes its next part or is installed");
        }

        Assert.Equal((access.Count + 1) / 2, approved.Count);
        Assert.Equal(approved, Strings(intent["changeKeys"]!));
        Assert.All(intent["compliance"]!["devices"]!.AsArray(), d => Assert.True(d!["compliant"]!.GetValue<bool>(), d.ToJsonString()));
        await MaxTargetsAsync(1000);
    }

    private async Task StartAsync()
    {
        await host.StartAsync(postgres);
        var policy = (await host.DataAsync(host.Token("admin"), "mutation { setChangePolicy(input: {mediumRoles: [], highRegionCount: 100, highDeviceCount: 1000, maxTargets: 1000}) { errors { message } } }"))["setChangePolicy"]!;
        Assert.Empty(policy["errors"]!.AsArray());
    }

    private async Task MaxTargetsAsync(int most)
    {
        var policy = (await host.DataAsync(host.Token("admin"), "mutation($most: Int!) { setChangePolicy(input: {maxTargets: $most}) { errors { message } } }", new JsonObject { ["most"] = most }))["setChangePolicy"]!;
        Assert.Empty(policy["errors"]!.AsArray());
    }

    private async Task ApproveAndExecuteAsync(string change)
    {
        var approved = (await host.DataAsync(host.Token("region-approver"), "mutation($id: ID!) { approveChange(input: {changeId: $id}) { change { status } errors { message } } }", Id(change)))["approveChange"]!;
        Assert.Equal("APPROVED", Text(approved["change"]!, "status"));
        var executed = (await host.DataAsync(host.Token("operator"), "mutation($id: ID!) { executeChange(input: {changeId: $id}) { change { status } errors { message } } }", Id(change)))["executeChange"]!;
        Assert.Equal("APPLIED", Text(executed["change"]!, "status"));
    }

    private Task<JsonNode> StateAsync(string intent, string state) => Eventually.ValueAsync(
        async () => (await host.DataAsync(host.Token("operator"), Get, Id(intent)))["intent"]!,
        i => Text(i, "state") == state,
        TimeSpan.FromSeconds(30),
        $"{intent} {state}");

    // The keys of the devices whose names start so, by key.
    private async Task<List<string>> DevicesAsync(string namePrefix)
    {
        var nodes = (await host.DataAsync(host.Token("viewer"), "{ devices(first: 200) { nodes { key name status } } }"))["devices"]!["nodes"]!.AsArray();
        return [.. nodes.Where(n => Text(n!, "name").StartsWith(namePrefix, StringComparison.Ordinal) && Text(n!, "status") == "ACTIVE").Select(n => Text(n!, "key")).Order(StringComparer.Ordinal)];
    }

    private static JsonObject Input(string key, string namePattern, string[]? ntp = null, string[]? dns = null, string? location = null, bool autoRemediate = false)
    {
        var compliance = new JsonObject { ["namePattern"] = namePattern, ["autoRemediate"] = autoRemediate };
        if (ntp is not null)
        {
            compliance["ntpServers"] = new JsonArray([.. ntp.Select(s => (JsonNode)s)]);
        }

        if (dns is not null)
        {
            compliance["dnsServers"] = new JsonArray([.. dns.Select(s => (JsonNode)s)]);
        }

        if (location is not null)
        {
            compliance["locationTemplate"] = location;
        }

        return new JsonObject { ["input"] = new JsonObject { ["key"] = key, ["kind"] = "COMPLIANCE", ["compliance"] = compliance } };
    }

    private static JsonObject Id(string id) => new() { ["id"] = id };

    private static string Text(JsonNode node, string field) => node[field]!.GetValue<string>();

    private static List<string> Strings(JsonNode node) => Strings(node.AsArray().Select(n => n!));

    private static List<string> Strings(IEnumerable<JsonNode> nodes) => [.. nodes.Select(n => n.GetValue<string>())];
}
