using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Lab;

/// <summary>
/// A governed change on the real lab: proposed, approved and executed over GraphQL, applied by the ssh driver inside a
/// device's namespace, seen by SNMP discovery as a link going down; then the earlier config restored the same way.
/// </summary>
[Collection(LabGroup.Name)]
public sealed class LabChangeTests(PostgresFixture postgres, LabFixture lab)
{
    private const string Fields = "id status sensitivity failure impact { linksDown { linkKey } } targets { result { status message } }";

    [Fact]
    public async Task An_interface_disabled_by_an_approved_change_goes_down_in_discovery_and_restoring_the_version_brings_it_back()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = await LabSilo.StartAsync(db, q, lab);
        var operatorToken = await LabSilo.TokenAsync(silo, "operator");
        var approverToken = await LabSilo.TokenAsync(silo, "region-approver");

        var link = lab.Description.Links.Single(l => (l.A, l.B) is ("lab3", "lab4") or ("lab4", "lab3"));
        var lab3If = link.A == "lab3" ? link.AIf : link.BIf;
        var lab3 = (await q.TextAsync("SELECT device FROM devices WHERE name = 'lab3'"))!;
        var linkId = (await q.TextAsync(
            "SELECT link FROM links WHERE (device_a = $1 AND interface_a = $2) OR (device_b = $1 AND interface_b = $2)", lab3, lab3If))!;
        var (driver, _) = await SshConfigDriverTests.DriverAsync(postgres);
        var target = SshConfigDriverTests.Target("lab3");
        var before = await driver.ReadAsync(target, CancellationToken.None);
        try
        {
            var proposed = await MutateAsync(silo, operatorToken, "proposeChange", $$$"""
                input: {title: "take lab3-lab4 out of service", reason: "fibre works",
                        targets: [{deviceId: "lab3", patch: {interfaces: [{name: "{{{lab3If}}}", enabled: false}]}}]}
                """);
            Assert.Equal(("PENDING_APPROVAL", "MEDIUM"), (Text(proposed, "status"), Text(proposed, "sensitivity")));
            Assert.Contains(proposed["impact"]!["linksDown"]!.AsArray(), l => (string?)l!["linkKey"] == linkId);
            var id = Text(proposed, "id");
            Assert.Equal("APPROVED", Text(await MutateAsync(silo, approverToken, "approveChange", $"input: {{changeId: \"{id}\", comment: \"window agreed\"}}"), "status"));
            var executed = await MutateAsync(silo, operatorToken, "executeChange", $"input: {{changeId: \"{id}\"}}");
            Assert.True(Text(executed, "status") == "APPLIED", executed.ToJsonString());

            // The interface is down inside the device's namespace, and discovery sees the link go.
            Assert.False((await driver.ReadAsync(target, CancellationToken.None)).Interface(lab3If)!.Enabled);
            await Eventually.ValueAsync(
                () => q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE type = 'LinkDown' AND link = $1", linkId),
                e => e.Count == 1, TimeSpan.FromSeconds(30), "LinkDown of lab3-lab4");
            // What discovery does not read (NTP, DNS, routes) was read through the driver before the change, so the
            // whole config applied kept it: nothing else on the device changed.
            var after = await driver.ReadAsync(target, CancellationToken.None);
            Assert.True(after.Only(Abstractions.Config.ConfigSections.Services | Abstractions.Config.ConfigSections.Routes)
                .SameAs(before.Only(Abstractions.Config.ConfigSections.Services | Abstractions.Config.ConfigSections.Routes)));

            var version = (await LabSilo.DataAsync(silo, operatorToken, "{ device(id: \"lab3\") { config { version } } }"))["device"]!["config"]!["version"]!.GetValue<long>();
            var restore = await MutateAsync(silo, operatorToken, "restoreConfig", $"input: {{deviceId: \"lab3\", version: {version - 1}}}");
            var restoreId = Text(restore, "id");
            await MutateAsync(silo, approverToken, "approveChange", $"input: {{changeId: \"{restoreId}\"}}");
            Assert.Equal("APPLIED", Text(await MutateAsync(silo, operatorToken, "executeChange", $"input: {{changeId: \"{restoreId}\"}}"), "status"));
            await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM links WHERE link = $1", linkId), s => s == "UP", TimeSpan.FromSeconds(30), "link up after the restore");
        }
        finally
        {
            // Whatever happened above, the lab is left as it was found.
            await driver.ApplyAsync(target, before, CancellationToken.None);
        }
    }

    private static async Task<JsonNode> MutateAsync(SiloProcess silo, string token, string field, string arguments)
    {
        var data = await LabSilo.DataAsync(silo, token, $"mutation {{ {field}({arguments}) {{ change {{ {Fields} }} errors {{ code message }} }} }}");
        var payload = data[field]!;
        Assert.True(payload["errors"]!.AsArray().Count == 0, payload.ToJsonString());
        return payload["change"]!;
    }

    private static string Text(JsonNode node, string field) => node[field]!.GetValue<string>();
}
