using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Changes;

/// <summary>A silo killed in the middle of an execution: the restarted silo finishes the change from its stored step.</summary>
[Collection(PostgresGroup.Name)]
public sealed class ChangeCrashTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string> Network = new()
    {
        ["Discovery:Interval"] = "00:00:02",
        ["Simulation:Devices"] = "12",
        ["Simulation:Regions"] = "1",
    };

    [Fact]
    public async Task A_change_whose_silo_died_mid_execution_finishes_after_restart_and_its_token_is_redeemed_once()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        var siloPort = SiloProcess.FreePort();
        string change;
        string[] devices;
        await using (var first = SiloProcess.Start(db, Network, siloPort))
        {
            await first.WaitReadyAsync();
            await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE intended_config IS NOT NULL"), n => n == 12, TimeSpan.FromSeconds(60), "12 devices with config");
            devices = [(await q.TextAsync("SELECT device FROM devices WHERE role = 'access' ORDER BY device LIMIT 1"))!, (await q.TextAsync("SELECT device FROM devices WHERE role = 'access' ORDER BY device OFFSET 1 LIMIT 1"))!];
            await GraphQLHttp.PostAsync(first.Http, "mutation($id: ID!) { setConfigFault(input: {deviceId: $id, delayMs: 4000}) { errors { code } } }", new JsonObject { ["id"] = devices[1] });
            var proposed = await GraphQLHttp.PostAsync(first.Http, """
                mutation($a: ID!, $b: ID!) { proposeChange(input: {title: "crash", targets: [{deviceId: $a, patch: {location: "after crash"}}, {deviceId: $b, patch: {location: "after crash"}}]}) {
                  change { key status } errors { message } } }
                """, new JsonObject { ["a"] = devices[0], ["b"] = devices[1] });
            change = proposed["proposeChange"]!["change"]!["key"]!.GetValue<string>();
            Assert.Equal("APPROVED", proposed["proposeChange"]!["change"]!["status"]!.GetValue<string>());

            // The first target applies at once; the second takes four seconds, during which the silo dies.
            var executing = GraphQLHttp.PostAsync(first.Http, "mutation($id: ID!) { executeChange(input: {changeId: $id}) { change { status } } }", new JsonObject { ["id"] = change });
            await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM device_config_versions WHERE change_id = $1", change), n => n == 1, TimeSpan.FromSeconds(20), "first target applied");
            first.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => executing);
        }

        Assert.Equal("EXECUTING", await q.TextAsync("SELECT status FROM changes WHERE change = $1", change));
        await using var second = SiloProcess.Start(db, Network, siloPort);
        await second.WaitReadyAsync();

        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM changes WHERE change = $1", change), s => s == "APPLIED", TimeSpan.FromSeconds(90), "change finished after restart");
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE aggregate_id = $1 AND type = 'ChangeExecuting'", "change:" + change));
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE aggregate_id = $1 AND type = 'ChangeCompleted'", "change:" + change));
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE device IN ($1, $2) AND locked_by IS NOT NULL", devices[0], devices[1]), n => n == 0, TimeSpan.FromSeconds(20), "locks released");
        var again = await GraphQLHttp.PostAsync(second.Http, "mutation($id: ID!) { executeChange(input: {changeId: $id}) { errors { code } } }", new JsonObject { ["id"] = change });
        Assert.Equal("TOKEN_SPENT", again["executeChange"]!["errors"]![0]!["code"]!.GetValue<string>());
    }
}
