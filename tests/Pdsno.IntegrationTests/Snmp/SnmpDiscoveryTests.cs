using System.Text;
using Pdsno.Discovery.Snmp;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Snmp;

/// <summary>
/// A silo running the snmp driver against agents in this test process, on loopback: bad device data is recorded on
/// the device and shown by the API, and addresses that cannot be managed never stop a cycle.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class SnmpDiscoveryTests(PostgresFixture postgres)
{
    private static readonly Oid IfSpeedOfEth0 = Oid.Parse("1.3.6.1.2.1.2.2.1.5.1");
    private static readonly Oid IfHighSpeedOfEth0 = Oid.Parse("1.3.6.1.2.1.31.1.1.1.15.1");

    [Fact]
    public async Task Nonsense_device_data_is_recorded_on_the_device_and_unmanageable_addresses_do_not_stop_the_cycle()
    {
        await using var odd = new SimulatedSnmpAgent(Device("odd-1", ("eth0", 0u), ("eth1", 1000u)));
        await using var wrongCommunity = new SimulatedSnmpAgent(Device("secret-1", ("eth0", 1000u)), community: "not-public");
        await using var failing = new SimulatedSnmpAgent(Device("failing-1", ("eth0", 1000u))) { ErrorStatus = SnmpErrorStatus.GenErr };
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Discovery:Driver"] = "snmp",
            ["Discovery:Targets:0"] = odd.EndPoint.ToString(),
            ["Discovery:Targets:1"] = wrongCommunity.EndPoint.ToString(),
            ["Discovery:Targets:2"] = failing.EndPoint.ToString(),
            ["Discovery:Regions:0"] = "loop",
            ["Discovery:Interval"] = "00:00:01",
            ["Discovery:Snmp:Community"] = "public",
            // Generous: on a busy machine a lost reply makes a partial read, and a device read without its LLDP
            // chassis id is keyed by name instead, which shows up as a second device.
            ["Discovery:Snmp:TimeoutMs"] = "2000",
            ["Discovery:Snmp:Retries"] = "0",
            ["Simulation:Enabled"] = "false",
            ["Logging:LogLevel:Pdsno.Discovery.Drivers.SnmpDriver"] = "Information",
        });
        await silo.WaitReadyAsync();

        var speedZero = "interface eth0 is up at speed 0; its utilization is unknown";
        await Eventually.ValueAsync(() => q.TextAsync("SELECT problems::text FROM devices WHERE name = 'odd-1'"), p => p is not null && p.Contains(speedZero, StringComparison.Ordinal), TimeSpan.FromSeconds(60), "odd-1 with its problems");
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM devices"));

        var data = await GraphQLHttp.PostAsync(silo.Http, "{ devices(first: 10) { edges { node { name status problems } } } }");
        var node = data["devices"]!["edges"]!.AsArray().Single()!["node"]!;
        Assert.Equal(("odd-1", "ACTIVE"), ((string?)node["name"], (string?)node["status"]));
        Assert.Equal([speedZero], node["problems"]!.AsArray().Select(p => (string)p!));

        // Both addresses answer ping (loopback) but cannot be read: each is named once, with why, and each cycle counts them.
        await Eventually.ValueAsync(() => Task.FromResult(silo.Output), o => o.Contains("1 observed, 2 alive but unmanageable, 0 silent", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "a cycle counting the unmanageable addresses");
        Assert.Contains($"{wrongCommunity.EndPoint} is alive but unmanageable: answers ICMP echo but not SNMP", silo.Output, StringComparison.Ordinal);
        Assert.Contains($"{failing.EndPoint} is alive but unmanageable: the agent answers SNMP with an error", silo.Output, StringComparison.Ordinal);

        // The device fixes its data: the problem goes from the device, and a device that stays as it is writes nothing.
        odd.Set(IfSpeedOfEth0, SnmpValue.Gauge32(1_000_000_000));
        odd.Set(IfHighSpeedOfEth0, SnmpValue.Gauge32(1000));
        await Eventually.ValueAsync(() => q.TextAsync("SELECT problems::text FROM devices WHERE name = 'odd-1'"), p => p == "[]", TimeSpan.FromSeconds(20), "odd-1 without problems");
        var version = await q.ScalarAsync("SELECT state_version FROM devices WHERE name = 'odd-1'");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(version, await q.ScalarAsync("SELECT state_version FROM devices WHERE name = 'odd-1'"));
        Assert.Equal(1, silo.Output.Split('\n').Count(l => l.Contains(failing.EndPoint + " is alive but unmanageable", StringComparison.Ordinal)));
    }

    // A net-snmp-like agent: system group and, per interface, ifTable and ifXTable rows, all up.
    private static SortedDictionary<Oid, SnmpValue> Device(string name, params (string Name, uint Mbps)[] interfaces)
    {
        var table = new SortedDictionary<Oid, SnmpValue>
        {
            [Oid.Parse("1.3.6.1.2.1.1.1.0")] = SnmpValue.OctetString("Linux " + name + " 6.1.0-18-amd64 x86_64"),
            [Oid.Parse("1.3.6.1.2.1.1.2.0")] = SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10")),
            [Oid.Parse("1.3.6.1.2.1.1.3.0")] = SnmpValue.TimeTicks(4242),
            [Oid.Parse("1.3.6.1.2.1.1.5.0")] = SnmpValue.OctetString(name),
            [Oid.Parse("1.3.6.1.2.1.1.6.0")] = SnmpValue.OctetString("loopback"),
        };
        var seed = (byte)(name.Aggregate(0, (h, c) => (h * 31) + c) & 0x7f);
        for (var i = 0; i < interfaces.Length; i++)
        {
            var (ifName, mbps) = interfaces[i];
            var index = (uint)(i + 1);
            void Set(string oid, SnmpValue value) => table[Oid.Parse($"{oid}.{index}")] = value;
            Set("1.3.6.1.2.1.2.2.1.2", SnmpValue.OctetString(ifName));
            Set("1.3.6.1.2.1.2.2.1.5", SnmpValue.Gauge32(mbps * 1_000_000));
            Set("1.3.6.1.2.1.2.2.1.6", SnmpValue.OctetString(new byte[] { 0x02, 0x50, seed, 0x00, 0x00, (byte)index }));
            Set("1.3.6.1.2.1.2.2.1.7", SnmpValue.Integer32(1));
            Set("1.3.6.1.2.1.2.2.1.8", SnmpValue.Integer32(1));
            Set("1.3.6.1.2.1.31.1.1.1.1", SnmpValue.OctetString(Encoding.UTF8.GetBytes(ifName)));
            Set("1.3.6.1.2.1.31.1.1.1.6", SnmpValue.Counter64(1000));
            Set("1.3.6.1.2.1.31.1.1.1.10", SnmpValue.Counter64(2000));
            Set("1.3.6.1.2.1.31.1.1.1.15", SnmpValue.Gauge32(mbps));
        }

        return table;
    }
}
