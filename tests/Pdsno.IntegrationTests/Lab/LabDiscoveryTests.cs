using Npgsql;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Lab;

/// <summary>A silo running the snmp driver against the real lab network: what it finds must be what lab.json says is there.</summary>
[Collection(LabGroup.Name)]
public sealed class LabDiscoveryTests(PostgresFixture postgres, LabFixture lab)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task The_lab_is_discovered_with_its_identities_interfaces_and_exactly_its_links()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = await StartSiloAsync(db, "100.64.0.0/28");

        var expectedLinks = lab.Description.Links.Select(l => Link(l.A, l.AIf, l.B, l.BIf)).Order().ToList();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 4, TimeSpan.FromSeconds(60), "4 active devices");
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"), n => n == expectedLinks.Count, TimeSpan.FromSeconds(60), "every lab link up");

        var devices = await RowsAsync(db, "SELECT name, vendor, os_version, management_address, region, chassis_id FROM devices ORDER BY name");
        Assert.Equal(lab.Description.Devices.Select(d => d.Name).Order(), devices.Select(d => d[0]));
        foreach (var device in lab.Description.Devices)
        {
            var row = devices.Single(d => d[0] == device.Name);
            Assert.Equal(("net-snmp", device.MgmtAddress, "lab"), (row[1], row[3], row[4]));
            Assert.StartsWith("Linux ", row[2], StringComparison.Ordinal);

            // lldpd's chassis id is the MAC of the device's first data interface.
            Assert.Equal(device.Interfaces.Single(i => i.Name == "eth1").Mac, row[5]);

            var interfaces = await RowsAsync(
                db,
                "SELECT i.name, i.if_index::text, i.mac, i.speed_bps::text, i.oper_status FROM interfaces i JOIN devices d ON d.tenant = i.tenant AND d.device = i.device WHERE d.name = $1 ORDER BY i.if_index",
                device.Name);
            Assert.Equal(
                device.Interfaces.OrderBy(i => i.IfIndex).Select(i => (i.Name, i.IfIndex.ToString(), i.Mac == "00:00:00:00:00:00" ? "" : i.Mac)),
                interfaces.Select(i => (i[0], i[1], i[2])));
            Assert.All(interfaces.Where(i => i[0].StartsWith("eth", StringComparison.Ordinal)), i => Assert.Equal(("10000000000", "UP"), (i[3], i[4])));
        }

        var links = await RowsAsync(
            db,
            """
            SELECT a.name, l.interface_a, b.name, l.interface_b FROM links l
            JOIN devices a ON a.tenant = l.tenant AND a.device = l.device_a
            JOIN devices b ON b.tenant = l.tenant AND b.device = l.device_b
            """);
        Assert.Equal(expectedLinks, links.Select(l => Link(l[0], l[1], l[2], l[3])).Order().ToList());
        Assert.Equal(expectedLinks.Count, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'LinkAdded'"));
    }

    [Fact]
    public async Task A_veth_link_taken_down_becomes_a_LinkDown_event_within_two_cycles()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = await StartSiloAsync(db, "100.64.0.10-13");
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"), n => n == lab.Description.Links.Count, TimeSpan.FromSeconds(90), "every lab link up");
        var link = lab.Description.Links.Single(l => (l.A, l.B) is ("lab1", "lab2") or ("lab2", "lab1"));
        var lab1If = link.A == "lab1" ? link.AIf : link.BIf;
        var lab1 = (await q.TextAsync("SELECT device FROM devices WHERE name = 'lab1'"))!;
        var linkId = (await q.TextAsync(
            "SELECT link FROM links WHERE (device_a = $1 AND interface_a = $2) OR (device_b = $1 AND interface_b = $2)", lab1, lab1If))!;

        await LabFixture.LabAsync(TimeSpan.FromSeconds(30), "link-down", "lab1", "lab2");
        try
        {
            // Two cycles, plus net-snmp's ~3 s interface cache; lldpd drops the neighbour as soon as the port goes down.
            var budget = (Interval * 2) + TimeSpan.FromSeconds(3) + TimeSpan.FromSeconds(6);
            var events = await Eventually.ValueAsync(
                () => q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE type = 'LinkDown' AND link = $1", linkId),
                e => e.Count == 1, budget + TimeSpan.FromSeconds(15), "LinkDown of lab1-lab2");
            Assert.Equal(("UP", "DOWN"), (events[0].Old, events[0].New));
            Assert.Equal("DOWN", await q.TextAsync("SELECT status FROM links WHERE link = $1", linkId));
            await Eventually.ValueAsync(
                () => q.TextAsync("SELECT oper_status FROM interfaces WHERE device = $1 AND name = $2", lab1, lab1If), s => s == "DOWN", TimeSpan.FromSeconds(20), "lab1 interface down");

            // Only that link went down; the rest of the ring stays up.
            Assert.Equal(lab.Description.Links.Count - 1, await q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"));
            Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM events WHERE type = 'LinkDown'"));
        }
        finally
        {
            await LabFixture.LabAsync(TimeSpan.FromSeconds(30), "link-up", "lab1", "lab2");
        }

        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM links WHERE link = $1", linkId), s => s == "UP", TimeSpan.FromSeconds(30), "link up again");
    }

    [Fact]
    public async Task An_interface_disabled_through_the_ssh_driver_is_seen_down_by_snmp_discovery_with_a_LinkDown_event()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = await StartSiloAsync(db, "100.64.0.10-13");
        await Eventually.ValueAsync(
            () => q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"), n => n == lab.Description.Links.Count, TimeSpan.FromSeconds(90), "every lab link up");
        var link = lab.Description.Links.Single(l => (l.A, l.B) is ("lab3", "lab4") or ("lab4", "lab3"));
        var lab3If = link.A == "lab3" ? link.AIf : link.BIf;
        var lab3 = (await q.TextAsync("SELECT device FROM devices WHERE name = 'lab3'"))!;
        var linkId = (await q.TextAsync(
            "SELECT link FROM links WHERE (device_a = $1 AND interface_a = $2) OR (device_b = $1 AND interface_b = $2)", lab3, lab3If))!;

        var (driver, _) = await SshConfigDriverTests.DriverAsync(postgres);
        var target = SshConfigDriverTests.Target("lab3");
        var before = await driver.ReadAsync(target, CancellationToken.None);
        await driver.ApplyAsync(target, before with { Interfaces = [.. before.Interfaces.Select(i => i.Name == lab3If ? i with { Enabled = false } : i)] }, CancellationToken.None);
        try
        {
            var events = await Eventually.ValueAsync(
                () => q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE type = 'LinkDown' AND link = $1", linkId),
                e => e.Count == 1, TimeSpan.FromSeconds(30), "LinkDown of lab3-lab4");
            Assert.Equal(("UP", "DOWN"), (events[0].Old, events[0].New));
            await Eventually.ValueAsync(
                () => q.TextAsync("SELECT oper_status FROM interfaces WHERE device = $1 AND name = $2", lab3, lab3If), s => s == "DOWN", TimeSpan.FromSeconds(20), "lab3 interface down");
            Assert.False((await driver.ReadAsync(target, CancellationToken.None)).Interface(lab3If)!.Enabled);
        }
        finally
        {
            await driver.ApplyAsync(target, before, CancellationToken.None);
        }

        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM links WHERE link = $1", linkId), s => s == "UP", TimeSpan.FromSeconds(30), "link up again");
    }

    [Fact]
    public async Task Traffic_across_a_link_shows_up_as_rate_in_the_device_telemetry()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = await StartSiloAsync(db, "100.64.0.10-13");
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 4, TimeSpan.FromSeconds(60), "4 active devices");
        var link = lab.Description.Links.Single(l => (l.A, l.B) is ("lab1", "lab2") or ("lab2", "lab1"));
        var lab1If = link.A == "lab1" ? link.AIf : link.BIf;
        var idle = await PeakOutBitsPerSecondAsync(silo, "lab1", lab1If);

        // The ping flood runs about 0.5-1 Gb/s; net-snmp refreshes counters every ~3 s, so a rate needs a few polls.
        var traffic = LabFixture.LabAsync(TimeSpan.FromSeconds(60), "traffic", "lab1", "lab2", "12");
        var busy = await Eventually.ValueAsync(
            () => PeakOutBitsPerSecondAsync(silo, "lab1", lab1If), bps => bps > 50e6, TimeSpan.FromSeconds(25), "lab1 sending over 50 Mb/s");
        await traffic;

        Assert.True(idle < 10e6, $"before the traffic lab1 {lab1If} already sent {idle} b/s");
        Assert.True(busy > 50e6);
    }

    [Fact]
    public async Task Ping_without_snmp_is_unmanageable_and_an_snmp_answer_is_alive_where_ping_is_filtered()
    {
        // lab2 ignores ICMP echo; 100.64.0.14 is a free address of the lab's management network.
        await LabFixture.LabAsync(TimeSpan.FromSeconds(30), "exec", "lab2", "sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1");
        try
        {
            var db = await postgres.CreateDatabaseAsync();
            await using (var silo = await StartSiloAsync(db, "100.64.0.10-14", driverLogLevel: "Debug"))
            {
                await Eventually.ValueAsync(
                    () => Task.FromResult(silo.Output),
                    o => o.Contains("5 addresses: 4 observed, 0 alive but unmanageable, 1 silent; 3 answered ICMP, 1 observed without an ICMP answer", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(60),
                    "a cycle that sees lab2 by SNMP alone");
                await Eventually.ValueAsync(
                    () => new ReadModelQueries(db).ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 4, TimeSpan.FromSeconds(30), "4 active devices");
            }

            // With a wrong community the agents stay silent: the devices that answer ping are there but unmanageable.
            var wrong = await postgres.CreateDatabaseAsync();
            await using (var silo = await StartSiloAsync(wrong, "100.64.0.10-14", community: "not-the-lab-community"))
            {
                await Eventually.ValueAsync(
                    () => Task.FromResult(silo.Output),
                    o => o.Contains("5 addresses: 0 observed, 3 alive but unmanageable, 2 silent", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(60),
                    "a cycle counting three unmanageable devices");
                foreach (var device in lab.Description.Devices.Where(d => d.Name != "lab2"))
                {
                    Assert.Contains($"{device.MgmtAddress} is alive but unmanageable: answers ICMP echo but not SNMP", silo.Output, StringComparison.Ordinal);
                }

                Assert.Equal(0, await new ReadModelQueries(wrong).ScalarAsync("SELECT count(*) FROM devices"));
            }
        }
        finally
        {
            await LabFixture.LabAsync(TimeSpan.FromSeconds(30), "exec", "lab2", "sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=0");
        }
    }

    // The highest outgoing rate in the device's recent telemetry window for one interface.
    private static async Task<double> PeakOutBitsPerSecondAsync(SiloProcess silo, string device, string iface)
    {
        var data = await GraphQLHttp.PostAsync(silo.Http, "{ devices(first: 10) { edges { node { name recentTelemetry { interface outBitsPerSecond } } } } }");
        var node = data["devices"]!["edges"]!.AsArray().Select(e => e!["node"]!).Single(n => (string?)n["name"] == device);
        return node["recentTelemetry"]!.AsArray()
            .Where(s => (string?)s!["interface"] == iface)
            .Select(s => (double)s!["outBitsPerSecond"]!)
            .DefaultIfEmpty(0)
            .Max();
    }

    private static string Link(string a, string aIf, string b, string bIf) =>
        string.CompareOrdinal(a + ":" + aIf, b + ":" + bIf) <= 0 ? $"{a}:{aIf}|{b}:{bIf}" : $"{b}:{bIf}|{a}:{aIf}";

    private async Task<SiloProcess> StartSiloAsync(string db, string targets, string? community = null, string driverLogLevel = "Information")
    {
        var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Discovery:Driver"] = "snmp",
            ["Discovery:Targets:0"] = targets,
            ["Discovery:Regions:0"] = "lab",
            ["Discovery:Interval"] = Interval.ToString(),
            ["Discovery:Snmp:Community"] = community ?? lab.Description.Community,
            ["Logging:LogLevel:Pdsno.Discovery.Drivers.SnmpDriver"] = driverLogLevel,
            ["Discovery:Snmp:TimeoutMs"] = "300",
            ["Discovery:Snmp:Retries"] = "1",
            ["Simulation:Enabled"] = "false",
        });
        try
        {
            await silo.WaitReadyAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<string[]>> RowsAsync(string db, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var rows = new List<string[]>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }

        return rows;
    }
}
