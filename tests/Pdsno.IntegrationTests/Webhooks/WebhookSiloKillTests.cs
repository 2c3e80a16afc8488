using System.Text.Json.Nodes;
using Npgsql;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.TestSupport.Webhooks;

namespace Pdsno.IntegrationTests.Webhooks;

/// <summary>Two silos of one cluster: the silo delivering a webhook is killed, and the other goes on from the cursor.</summary>
[Collection(PostgresGroup.Name)]
public sealed class WebhookSiloKillTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string> Settings = new(WebhookDeliveryTests.Settings)
    {
        ["Simulation:Enabled"] = "false",
        ["Webhooks:MaxAttempts"] = "100",
    };

    [Fact]
    public async Task Deliveries_go_on_from_the_cursor_on_the_other_silo_when_the_delivering_silo_is_killed()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var a = SiloProcess.Start(db, Settings);
        await a.WaitReadyAsync();
        await using var b = SiloProcess.Start(db, Settings);
        await b.WaitReadyAsync();
        await using var receiver = WebhookReceiver.Start();

        await GraphQLHttp.PostAsync(a.Http, "mutation { createRegion(input: {id: \"kill-r\"}) { errors { code } } }");
        var created = await GraphQLHttp.PostAsync(a.Http, """
            mutation($url: String!) { createWebhook(input: {url: $url, regionIds: ["kill-r"], eventTypes: ["REGION_CHANGED"]}) { webhook { id } errors { code message } } }
            """, new JsonObject { ["url"] = receiver.Url });
        var id = created["createWebhook"]!["webhook"]!["id"]!.GetValue<string>();
        var owner = await Eventually.ValueAsync(() => q.TextAsync("SELECT lease_owner FROM webhooks WHERE webhook = $1", id), o => o is not null, TimeSpan.FromSeconds(30), "a silo leases the webhook");
        var (delivering, survivor) = owner!.Contains($"/{a.ProcessId}/", StringComparison.Ordinal) ? (a, b) : (b, a);
        Assert.Contains($"/{delivering.ProcessId}/", owner, StringComparison.Ordinal);

        // Events are appended to the log directly, so the test does not wait on grains that lived on the killed silo.
        var sent = await AppendAsync(db, 5);
        await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => sent.All(s.Contains), TimeSpan.FromSeconds(30), "five events before the kill");
        delivering.Kill();
        sent.AddRange(await AppendAsync(db, 5));

        var received = await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => sent.All(s.Contains), TimeSpan.FromSeconds(60), "ten events after the kill");
        Assert.Equal(sent, received.Distinct());
        Assert.Contains($"/{survivor.ProcessId}/", await q.TextAsync("SELECT lease_owner FROM webhooks WHERE webhook = $1", id), StringComparison.Ordinal);
        Assert.Equal(sent[^1], await q.ScalarAsync("SELECT delivered_seq FROM webhooks WHERE webhook = $1", id));
    }

    private static async Task<List<long>> AppendAsync(string db, int count)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        var sequences = new List<long>();
        for (var i = 0; i < count; i++)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO events (tenant, seq, type, aggregate_id, aggregate_version, ordinal, region, old_value, new_value, occurred_at)
                SELECT 'default', coalesce(max(seq), 0) + 1, 'RegionChanged', 'test:kill', coalesce(max(seq), 0) + 1, 0, 'kill-r', 'a', 'b', now()
                FROM events WHERE tenant = 'default'
                RETURNING seq
                """, connection);
            sequences.Add((long)(await command.ExecuteScalarAsync())!);
        }

        return sequences;
    }
}
