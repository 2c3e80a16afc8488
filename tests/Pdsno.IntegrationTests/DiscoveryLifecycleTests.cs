using System.Net;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests;

[Collection(PostgresGroup.Name)]
public sealed class DiscoveryLifecycleTests(PostgresFixture postgres)
{
    private static Dictionary<string, string> FastNetwork(int devices, int regions) => new()
    {
        ["Discovery:Interval"] = "00:00:01",
        ["Discovery:MissedCyclesUntilInactive"] = "3",
        ["Simulation:Devices"] = devices.ToString(),
        ["Simulation:Regions"] = regions.ToString(),
        ["Simulation:Seed"] = "7",
    };

    [Fact]
    public async Task A_fifty_device_network_is_discovered_and_a_failed_device_walks_through_unreachable_to_inactive()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, FastNetwork(50, 2));
        await silo.WaitReadyAsync();

        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 50, TimeSpan.FromSeconds(60), "50 active devices");
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"), n => n > 0, TimeSpan.FromSeconds(30), "links up");
        Assert.Equal(50, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'DeviceAdded'"));
        Assert.Equal(2, await q.ScalarAsync("SELECT count(*) FROM regions"));
        Assert.True(await q.ScalarAsync("SELECT count(*) FROM interfaces") >= 50 * 3);
        // Links keep arriving while regions confirm cross-region ends; a link row and its LinkAdded event are
        // written in one transaction, so within one snapshot the two counts always agree.
        Assert.Equal(0, await q.ScalarAsync("SELECT (SELECT count(*) FROM links) - (SELECT count(*) FROM events WHERE type = 'LinkAdded')"));
        long settled = -1;
        await Eventually.ValueAsync(
            async () =>
            {
                var previous = settled;
                await Task.Delay(TimeSpan.FromSeconds(2));
                settled = await q.ScalarAsync("SELECT count(*) FROM links");
                return previous == settled;
            },
            stable => stable, TimeSpan.FromSeconds(60), "links settle");

        // Take a core router down: it stops answering, so discovery misses it.
        var device = "r1-core-1";
        var deviceKey = (await q.TextAsync("SELECT device FROM devices WHERE name = $1", device))!;
        var linksOfDevice = await q.ScalarAsync("SELECT count(*) FROM links WHERE device_a = $1 OR device_b = $1", deviceKey);
        Assert.True(linksOfDevice > 0);
        var response = await silo.Http.PostAsync($"/sandbox/devices/{device}/down", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM devices WHERE device = $1", deviceKey), s => s == "INACTIVE", TimeSpan.FromSeconds(30), "device inactive");
        var statusEvents = await q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE device = $1 AND type = 'DeviceStatusChanged' ORDER BY seq", deviceKey);
        Assert.Equal(
            [("ACTIVE", "UNREACHABLE"), ("UNREACHABLE", "INACTIVE")],
            statusEvents.Select(e => (e.Old, e.New)).ToList());
        Assert.Equal(
            linksOfDevice,
            await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'LinkDown' AND (link LIKE $1 OR link LIKE $2)", deviceKey + ":%", "%|" + deviceKey + ":%"));
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM links WHERE (device_a = $1 OR device_b = $1) AND status = 'UP'", deviceKey));

        // Bring it back: ACTIVE again, links up again.
        await silo.Http.PostAsync($"/sandbox/devices/{device}/up", null);
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM devices WHERE device = $1", deviceKey), s => s == "ACTIVE", TimeSpan.FromSeconds(30), "device active again");
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(*) FROM links WHERE (device_a = $1 OR device_b = $1) AND status = 'UP'", deviceKey),
            n => n == linksOfDevice, TimeSpan.FromSeconds(30), "links up again");
        var sequences = await q.EventsAsync("SELECT seq, type, old_value, new_value FROM events ORDER BY seq");
        Assert.Equal(sequences.Count, sequences.Select(e => e.Seq).Distinct().Count());
    }

    [Fact]
    public async Task A_link_taken_down_goes_down_on_both_ends_and_comes_back()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, FastNetwork(20, 1));
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"), n => n > 10, TimeSpan.FromSeconds(60), "links up");

        var name = (await q.TextAsync("SELECT d.name FROM links l JOIN devices d ON d.tenant = l.tenant AND d.device = l.device_a ORDER BY l.link LIMIT 1"))!;
        var deviceKey = (await q.TextAsync("SELECT device FROM devices WHERE name = $1", name))!;
        var iface = (await q.TextAsync("SELECT interface_a FROM links WHERE device_a = $1 ORDER BY link LIMIT 1", deviceKey))!;
        var link = (await q.TextAsync("SELECT link FROM links WHERE device_a = $1 AND interface_a = $2", deviceKey, iface))!;

        var response = await silo.Http.PostAsync($"/sandbox/links/{name}/{Uri.EscapeDataString(iface)}/down", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM links WHERE link = $1", link), s => s == "DOWN", TimeSpan.FromSeconds(20), "link down");
        Assert.Equal("DOWN", await q.TextAsync("SELECT oper_status FROM interfaces WHERE device = $1 AND name = $2", deviceKey, iface));
        Assert.Equal("ACTIVE", await q.TextAsync("SELECT status FROM devices WHERE device = $1", deviceKey));

        await silo.Http.PostAsync($"/sandbox/links/{name}/{Uri.EscapeDataString(iface)}/up", null);
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM links WHERE link = $1", link), s => s == "UP", TimeSpan.FromSeconds(20), "link up");
        var linkEvents = await q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE link = $1 ORDER BY seq", link);
        Assert.Equal(["LinkAdded", "LinkDown", "LinkUp"], linkEvents.Select(e => e.Type).ToList());

        var unknown = await silo.Http.PostAsync("/sandbox/devices/no-such-device/down", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_steady_state_cycle_writes_nothing()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, FastNetwork(30, 2));
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 30, TimeSpan.FromSeconds(60), "30 active devices");
        // Links between regions are confirmed a cycle or two after both ends are known: wait until events stop.
        long settled = -1;
        await Eventually.ValueAsync(
            async () =>
            {
                var previous = settled;
                await Task.Delay(TimeSpan.FromSeconds(3));
                settled = await q.ScalarAsync("SELECT max(seq) FROM events");
                return previous == settled;
            },
            stable => stable, TimeSpan.FromSeconds(60), "events settle");
        var before = await q.StateFingerprintAsync();
        var lastEvent = await q.ScalarAsync("SELECT max(seq) FROM events");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await q.StateFingerprintAsync();
        Assert.Equal(lastEvent, await q.ScalarAsync("SELECT max(seq) FROM events"));
        Assert.Equal(before, after);
    }
}
