using System.Net;
using System.Text.Json.Nodes;
using Pdsno.Discovery.Snmp;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests;

/// <summary>Discovery schedules and link telemetry on a real silo, seen the way an operator sees them: through the API and the event log.</summary>
[Collection(PostgresGroup.Name)]
public sealed class AdaptiveDiscoveryTests(PostgresFixture postgres)
{
    private const string Controllers = "{ regions { edges { node { controllers { intervalSeconds cyclesRun overdue lastCycleFinished lastError } } } } }";

    [Fact]
    public async Task A_changing_region_shrinks_its_interval_to_the_policy_minimum_and_a_stable_one_grows_it_back_to_the_maximum()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Discovery:Interval"] = "00:00:03",
            ["Simulation:Devices"] = "12",
            ["Simulation:Regions"] = "1",
            ["Simulation:Seed"] = "11",
        });
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"), n => n > 0, TimeSpan.FromSeconds(60), "links up");
        var policy = await GraphQLHttp.PostAsync(
            silo.Http,
            "mutation { setGlobalPolicy(input: {discoveryIntervalSeconds: 3, missedCyclesUntilInactive: 3, minimumIntervalSeconds: 1, maximumIntervalSeconds: 4}) { policy { version } errors { message } } }");
        Assert.Empty(policy["setGlobalPolicy"]!["errors"]!.AsArray());
        var name = (await q.TextAsync("SELECT d.name FROM links l JOIN devices d ON d.tenant = l.tenant AND d.device = l.device_a ORDER BY l.link LIMIT 1"))!;
        var iface = (await q.TextAsync("SELECT l.interface_a FROM links l JOIN devices d ON d.tenant = l.tenant AND d.device = l.device_a WHERE d.name = $1 ORDER BY l.link LIMIT 1", name))!;

        // The network changes in every cycle: a link flaps, one state per cycle.
        var seen = new List<double>();
        var down = false;
        var lastCycle = (await ControllerAsync(silo))["cyclesRun"]!.GetValue<long>();
        await Eventually.ValueAsync(
            async () =>
            {
                var controller = await ControllerAsync(silo);
                seen.Add(controller["intervalSeconds"]!.GetValue<double>());
                var cycle = controller["cyclesRun"]!.GetValue<long>();
                if (cycle != lastCycle)
                {
                    lastCycle = cycle;
                    down = !down;
                    var response = await silo.Http.PostAsync($"/sandbox/links/{name}/{Uri.EscapeDataString(iface)}/{(down ? "down" : "up")}", null);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }

                return seen[^1];
            },
            interval => interval == 1,
            TimeSpan.FromSeconds(60),
            "the interval at the 1 s minimum while the network changes");
        Assert.Contains(seen, s => s is > 1 and < 3);
        Assert.Equal(seen.OrderDescending(), seen);

        // Stable again: the interval grows step by step to the 4 s maximum, and no further.
        await silo.Http.PostAsync($"/sandbox/links/{name}/{Uri.EscapeDataString(iface)}/up", null);
        seen.Clear();
        await Eventually.ValueAsync(
            async () =>
            {
                seen.Add((await ControllerAsync(silo))["intervalSeconds"]!.GetValue<double>());
                return seen[^1];
            },
            interval => interval == 4,
            TimeSpan.FromSeconds(90),
            "the interval at the 4 s maximum while the network is stable");
        Assert.Contains(seen, s => s is > 1 and < 4);
        Assert.Equal(seen.Order(), seen);
        await Task.Delay(TimeSpan.FromSeconds(13));
        Assert.Equal(4, (await ControllerAsync(silo))["intervalSeconds"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_controller_whose_cycle_hangs_is_reported_overdue_until_a_cycle_finishes_again()
    {
        // An agent in this process, on loopback, that takes far longer to answer than the interval allows.
        await using var slow = new SimulatedSnmpAgent(new SortedDictionary<Oid, SnmpValue>
        {
            [Oid.Parse("1.3.6.1.2.1.1.1.0")] = SnmpValue.OctetString("Linux slow-1 6.1.0-18-amd64 x86_64"),
            [Oid.Parse("1.3.6.1.2.1.1.5.0")] = SnmpValue.OctetString("slow-1"),
        })
        { ResponseDelay = TimeSpan.FromSeconds(10) };
        var db = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Discovery:Driver"] = "snmp",
            ["Discovery:Targets:0"] = slow.EndPoint.ToString(),
            ["Discovery:Regions:0"] = "slow",
            ["Discovery:Interval"] = "00:00:01",
            ["Discovery:Snmp:Community"] = "public",
            ["Discovery:Snmp:TimeoutMs"] = "20000",
            ["Discovery:Snmp:Retries"] = "0",
            ["Simulation:Enabled"] = "false",
        });
        await silo.WaitReadyAsync();

        // Overdue once no cycle finished for two intervals and a grace of 5 s.
        var stuck = await Eventually.ValueAsync(() => ControllerAsync(silo), c => c["overdue"]!.GetValue<bool>(), TimeSpan.FromSeconds(30), "the controller reported overdue");
        Assert.Null((string?)stuck["lastCycleFinished"]);
        Assert.Equal(1, stuck["intervalSeconds"]!.GetValue<double>());

        slow.ResponseDelay = TimeSpan.Zero;
        var recovered = await Eventually.ValueAsync(() => ControllerAsync(silo), c => !c["overdue"]!.GetValue<bool>(), TimeSpan.FromSeconds(60), "the controller on schedule again");
        Assert.NotNull((string?)recovered["lastCycleFinished"]);
    }

    [Fact]
    public async Task Utilization_crossing_the_threshold_becomes_a_high_event_and_falling_back_a_normal_one()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Discovery:Interval"] = "00:00:01",
            ["Simulation:Devices"] = "8",
            ["Simulation:Regions"] = "1",
            ["Simulation:Seed"] = "5",
        });
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 8, TimeSpan.FromSeconds(60), "8 active devices");
        var name = (await q.TextAsync("SELECT name FROM devices ORDER BY name LIMIT 1"))!;
        var device = (await q.TextAsync("SELECT device FROM devices WHERE name = $1", name))!;
        // Two polls, so the device has a rate before the burst.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = await q.ScalarAsync("SELECT coalesce(max(seq), 0) FROM events");

        // A burst: a terabyte counted on every interface within one poll is far over any interface's speed.
        var response = await silo.Http.PostAsync($"/sandbox/devices/{name}/counters/jump/1000000000000", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var high = await Eventually.ValueAsync(
            () => q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE device = $1 AND type = 'InterfaceUtilizationHigh' AND seq > $2 ORDER BY seq", device, before),
            e => e.Count > 0, TimeSpan.FromSeconds(20), "InterfaceUtilizationHigh");
        Assert.All(high, e => Assert.True(double.Parse(e.New!, System.Globalization.CultureInfo.InvariantCulture) >= 80, e.New));

        // The next poll is back to the ordinary rate: each high interface is announced normal once.
        var normal = await Eventually.ValueAsync(
            () => q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE device = $1 AND type = 'InterfaceUtilizationNormal' AND seq > $2 ORDER BY seq", device, before),
            e => e.Count == high.Count, TimeSpan.FromSeconds(20), "InterfaceUtilizationNormal for each high interface");
        Assert.True(normal.Min(e => e.Seq) > high.Max(e => e.Seq));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(high.Count * 2, await q.ScalarAsync("SELECT count(*) FROM events WHERE device = $1 AND type LIKE 'InterfaceUtilization%' AND seq > $2", device, before));
    }

    // The region's one controller; on a loaded machine a read can fall between its registrations, so it is read again.
    private static async Task<JsonNode> ControllerAsync(SiloProcess silo) =>
        (await Eventually.ValueAsync(
            async () => (await GraphQLHttp.PostAsync(silo.Http, Controllers))["regions"]!["edges"]!.AsArray().Single()!["node"]!["controllers"]!.AsArray(),
            c => c.Count == 1,
            TimeSpan.FromSeconds(30),
            "the region's controller"))[0]!;
}
