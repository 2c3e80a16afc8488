using System.Net;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests;

[Collection(PostgresGroup.Name)]
public sealed class DurabilityTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string> Network = new()
    {
        ["Discovery:Interval"] = "00:00:01",
        ["Simulation:Devices"] = "24",
        ["Simulation:Regions"] = "2",
    };

    [Fact]
    public async Task State_survives_a_killed_silo_and_nothing_is_announced_twice()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        var siloPort = SiloProcess.FreePort();
        await using (var first = SiloProcess.Start(db, Network, siloPort))
        {
            await first.WaitReadyAsync();
            await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices"), n => n == 24, TimeSpan.FromSeconds(60), "24 devices");
            await first.Http.PostAsync("/sandbox/devices/r2-core-1/down", null);
            await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM devices WHERE name = 'r2-core-1'"), s => s == "INACTIVE", TimeSpan.FromSeconds(30), "inactive before restart");
            first.Kill();
        }

        var eventsBefore = await q.ScalarAsync("SELECT count(*) FROM events");
        var storedStates = await q.ScalarAsync("SELECT count(*) FROM grain_state WHERE grain_type = 'device'");
        Assert.Equal(24, storedStates);

        await using var second = SiloProcess.Start(db, Network, siloPort);
        await second.WaitReadyAsync();
        // Cycles run again on the reminders stored by the first silo.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(24, await q.ScalarAsync("SELECT count(*) FROM devices"));
        Assert.Equal(24, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'DeviceAdded'"));
        Assert.Equal("INACTIVE", await q.TextAsync("SELECT status FROM devices WHERE name = 'r2-core-1'"));
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events e JOIN devices d ON d.device = e.device WHERE d.name = 'r2-core-1' AND e.new_value = 'INACTIVE'"));
        Assert.Equal(eventsBefore, await q.ScalarAsync("SELECT count(*) FROM events"));

        // The simulated fault survived too; repairing it brings the device back through the new silo.
        var response = await second.Http.PostAsync("/sandbox/devices/r2-core-1/up", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM devices WHERE name = 'r2-core-1'"), s => s == "ACTIVE", TimeSpan.FromSeconds(30), "active after repair");
    }

    [Fact]
    public async Task Two_silos_form_one_cluster_and_the_survivor_takes_over_a_killed_one()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var a = SiloProcess.Start(db, Network);
        await a.WaitReadyAsync();
        await using var b = SiloProcess.Start(db, Network);
        await b.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM orleansmembershiptable WHERE status = 3"), n => n == 2, TimeSpan.FromSeconds(30), "two active silos");
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 24, TimeSpan.FromSeconds(60), "24 active devices");

        var killedAt = DateTime.UtcNow;
        b.Kill();
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(*) FROM orleansmembershiptable WHERE port = $1 AND status = 6", b.SiloPort),
            n => n == 1, TimeSpan.FromSeconds(45), "the killed silo declared dead");
        var declaredDeadAfter = DateTime.UtcNow - killedAt;

        // Every grain that lived on the killed silo comes back on the survivor with its state: discovery goes on.
        await a.Http.PostAsync("/sandbox/devices/r1-acc-1/down", null);
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM devices WHERE name = 'r1-acc-1'"), s => s == "INACTIVE", TimeSpan.FromSeconds(45), "inactive after failover");
        Assert.Equal(24, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'DeviceAdded'"));
        Assert.True(declaredDeadAfter < TimeSpan.FromSeconds(45), $"dead after {declaredDeadAfter}");
    }
}
