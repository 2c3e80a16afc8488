using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Ids;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;
using static Pdsno.UnitTests.Snmp.Driver.FakeSnmpDevice;

namespace Pdsno.UnitTests.Snmp.Driver;

/// <summary>
/// Three fake devices wired in a triangle, each an in-process agent on its own loopback port:
/// r1 (Cisco) Gi0/1 - r2 (Juniper) ge-0/0/0, r2 ge-0/0/1 - r3 (Linux, lldpd) eth1, r3 eth2 - r1 Gi0/2.
/// They advertise LLDP the way each kind of box does: r1 sends MAC port ids and numbers LLDP ports 1..n,
/// r2 sends its ifIndex as a "local" port id and a local chassis id, r3 sends interface names.
/// </summary>
public sealed class SnmpDriverTests : IAsyncLifetime
{
    private static readonly byte[] R1Chassis = [0x00, 0x1b, 0x54, 0xaa, 0x01, 0xff];
    private static readonly byte[] R2Chassis = Text("JN11F2A3BAFC");
    private static readonly byte[] R3Chassis = Mac(3, 1);

    private readonly List<SimulatedSnmpAgent> _agents = [];
    private SimulatedSnmpAgent _r1 = null!;
    private SimulatedSnmpAgent _r2 = null!;
    private SimulatedSnmpAgent _r3 = null!;

    public Task InitializeAsync()
    {
        _r1 = Agent(new FakeSnmpDevice("r1")
            .System("1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(4)E10, RELEASE SOFTWARE (fc2)")
            .Interface(1, "Gi0/0", Mac(1, 0), highSpeedMbps: 1000)
            .Interface(2, "Gi0/1", Mac(1, 1), highSpeedMbps: 1000, inOctets: 5_000_000_000, outOctets: 7_000_000_000)
            .Interface(3, "Gi0/2", Mac(1, 2), highSpeedMbps: 1000)
            .LocalChassis(LldpIds.ChassisMac, R1Chassis)
            .LocalPort(1, LldpIds.PortMac, Mac(1, 1), "uplink to r2")
            .LocalPort(2, LldpIds.PortMac, Mac(1, 2), "uplink to r3")
            .Remote(300, 1, 1, LldpIds.ChassisLocal, R2Chassis, LldpIds.PortLocal, Text("501"), "ge-0/0/0", "r2")
            .Remote(300, 2, 1, LldpIds.ChassisMac, R3Chassis, LldpIds.PortInterfaceName, Text("eth2"), "to r1 Gi0/2", "r3"));
        _r2 = Agent(new FakeSnmpDevice("r2")
            .System("1.3.6.1.4.1.2636.1.1.1.2.21", "Juniper Networks, Inc. mx480 internet router, kernel JUNOS 20.4R3.8, Build date: 2021-08-20")
            .Interface(501, "ge-0/0/0", Mac(2, 0))
            .Interface(502, "ge-0/0/1", Mac(2, 1), oper: 2)
            .LocalChassis(LldpIds.ChassisLocal, R2Chassis)
            .LocalPort(501, LldpIds.PortLocal, Text("501"), "ge-0/0/0")
            .LocalPort(502, LldpIds.PortLocal, Text("502"), "ge-0/0/1")
            .Remote(100, 501, 1, LldpIds.ChassisMac, R1Chassis, LldpIds.PortMac, Mac(1, 1), "Gi0/1", "r1")
            .Remote(100, 502, 3, LldpIds.ChassisMac, R3Chassis, LldpIds.PortInterfaceName, Text("eth1"), "to r2 ge-0/0/1", "r3"));
        _r3 = Agent(new FakeSnmpDevice("r3")
            .System("1.3.6.1.4.1.8072.3.2.10", "PDSNO-Lab vRouter r3, Linux 6.1.0-18-amd64 x86_64, net-snmp 5.9.3, lldpd 1.0.16")
            .Interface(1, "lo", [], highSpeedMbps: 10, speed: 10_000_000)
            .Interface(2, "mgmt0", Mac(3, 0))
            .Interface(3, "eth1", Mac(3, 1))
            .Interface(4, "eth2", Mac(3, 2))
            .LocalChassis(LldpIds.ChassisMac, R3Chassis)
            .LocalPort(3, LldpIds.PortInterfaceName, Text("eth1"), "to r2 ge-0/0/1")
            .LocalPort(4, LldpIds.PortInterfaceName, Text("eth2"), "to r1 Gi0/2")
            .Remote(1000, 3, 2, LldpIds.ChassisLocal, R2Chassis, LldpIds.PortLocal, Text("502"), "ge-0/0/1", "r2")
            .Remote(1000, 4, 1, LldpIds.ChassisMac, R1Chassis, LldpIds.PortMac, Mac(1, 2), "Gi0/2", "r1"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_device_is_identified_with_name_vendor_and_os()
    {
        var devices = await DiscoverAsync(Targets(_r1, _r2, _r3));

        Assert.Equal(["r1", "r2", "r3"], devices.Keys.Order());
        Assert.Equal(("Cisco", "IOS 15.2(4)E10", "1.3.6.1.4.1.9.1.1208"), (devices["r1"].Vendor, devices["r1"].OsVersion, devices["r1"].Model));
        Assert.Equal(("Juniper", "Junos 20.4R3.8"), (devices["r2"].Vendor, devices["r2"].OsVersion));
        Assert.Equal(("net-snmp", "Linux 6.1.0-18-amd64"), (devices["r3"].Vendor, devices["r3"].OsVersion));
        Assert.Equal(_r2.EndPoint.ToString(), devices["r2"].ManagementAddress);
        Assert.Equal("00:1b:54:aa:01:ff", devices["r1"].ChassisId);
        Assert.Equal("JN11F2A3BAFC", devices["r2"].ChassisId);
        Assert.Equal("02:50:44:00:03:01", devices["r3"].ChassisId);
    }

    [Fact]
    public async Task Interfaces_join_ifTable_and_ifXTable_by_ifIndex()
    {
        var devices = await DiscoverAsync(Targets(_r1, _r2, _r3));

        var r1 = devices["r1"].Interfaces.Single(i => i.Name == "Gi0/1");
        Assert.Equal(new InterfaceObservation(2, "Gi0/1", "02:50:44:00:01:01", 1_000_000_000, AdminStatus.Up, OperStatus.Up, 5_000_000_000, 7_000_000_000, 3, 4), r1);
        Assert.Equal(OperStatus.Down, devices["r2"].Interfaces.Single(i => i.Index == 502).Oper);
        Assert.Equal(["lo", "mgmt0", "eth1", "eth2"], devices["r3"].Interfaces.Select(i => i.Name));
        var lo = devices["r3"].Interfaces[0];
        Assert.Equal(("", 10_000_000L), (lo.Mac, lo.SpeedBps));
        Assert.Equal(10_000_000_000L, devices["r3"].Interfaces[2].SpeedBps);
    }

    [Fact]
    public async Task Neighbours_are_exactly_the_wired_links_named_by_interface_on_both_ends()
    {
        var devices = await DiscoverAsync(Targets(_r1, _r2, _r3));

        var seen = devices.Values
            .SelectMany(d => d.Neighbors.Select(n => (d.Name, n.LocalInterface, Remote: devices.Values.Single(r => r.ChassisId == n.RemoteChassisId).Name, n.RemotePort, n.RemoteSystemName)))
            .Order()
            .ToList();
        Assert.Equal(
            [
                ("r1", "Gi0/1", "r2", "ge-0/0/0", "r2"),
                ("r1", "Gi0/2", "r3", "eth2", "r3"),
                ("r2", "ge-0/0/0", "r1", "Gi0/1", "r1"),
                ("r2", "ge-0/0/1", "r3", "eth1", "r3"),
                ("r3", "eth1", "r2", "ge-0/0/1", "r2"),
                ("r3", "eth2", "r1", "Gi0/2", "r1"),
            ],
            seen);
    }

    [Fact]
    public async Task A_remote_chassis_id_gives_the_same_device_key_as_the_device_itself_reports()
    {
        var devices = await DiscoverAsync(Targets(_r1, _r2, _r3));

        foreach (var neighbor in devices.Values.SelectMany(d => d.Neighbors))
        {
            var remote = devices[neighbor.RemoteSystemName!];
            Assert.Equal(remote.ChassisId, neighbor.RemoteChassisId);
            Assert.Equal(DeviceId.ForChassis("t", remote.ChassisId), DeviceId.ForChassis("t", neighbor.RemoteChassisId));

            // The region pairs the two ends by the far device's interface names.
            Assert.Contains(neighbor.RemotePort, remote.Interfaces.Select(i => i.Name));
        }
    }

    [Fact]
    public async Task Nonsense_data_is_recorded_as_best_possible()
    {
        await using var odd = new SimulatedSnmpAgent(new FakeSnmpDevice("odd")
            .System("1.3.6.1.4.1.99999.1", "")
            .Interface(1, "", Mac(9, 1), highSpeedMbps: 0, speed: 0)
            .Interface(2, "port", Mac(9, 2), hc: false, inOctets: 77, outOctets: 88)
            .Interface(3, "port", [0x01, 0x02, 0x03])
            .Set("1.3.6.1.2.1.2.2.1.8.4", SnmpValue.OctetString("up"))
            .Remote(5, 9, 1, LldpIds.ChassisMac, [], LldpIds.PortInterfaceName, Text("x"), "", "")
            .Table);

        var device = Assert.Single(await DiscoverAsync([odd.EndPoint.ToString()], timeoutMs: 3000));

        Assert.Equal(("unknown", "unknown"), (device.Value.Vendor, device.Value.OsVersion));
        Assert.Equal(["ifIndex1", "port", "port#3", "ifIndex4"], device.Value.Interfaces.Select(i => i.Name));
        Assert.Equal(0, device.Value.Interfaces[0].SpeedBps);
        Assert.Equal((77UL, 88UL), (device.Value.Interfaces[1].InOctets, device.Value.Interfaces[1].OutOctets));
        Assert.Equal("01:02:03", device.Value.Interfaces[2].Mac);
        Assert.Equal(OperStatus.Unknown, device.Value.Interfaces[3].Oper);
        Assert.Empty(device.Value.Neighbors);

        // What was odd travels with the observation, to be recorded on the device.
        Assert.Contains("interface name port is reported twice; ifIndex 3 recorded as port#3", device.Value.Problems);
        Assert.Contains(device.Value.Problems, p => p.StartsWith("ifIndex 1 has no name", StringComparison.Ordinal));
        Assert.Contains(device.Value.Problems, p => p.StartsWith("LLDP neighbour on local port 9 has no chassis id", StringComparison.Ordinal));

        // No LLDP chassis id: the lowest real MAC stands in.
        Assert.Equal("02:50:44:00:09:01", device.Value.ChassisId);
    }

    [Fact]
    public async Task An_agent_that_loops_in_a_walk_still_yields_the_device_with_what_it_read()
    {
        _r3.LoopAt = Oid.Parse("1.3.6.1.2.1.31.1.1.1.1.3");

        var devices = await DiscoverAsync(Targets(_r3));

        Assert.Equal(4, devices["r3"].Interfaces.Length);
        Assert.Equal(2, devices["r3"].Neighbors.Length);
    }

    [Fact]
    public async Task Silent_agents_wrong_communities_and_error_answers_are_skipped_and_the_rest_is_discovered()
    {
        _r2.DropAll = true;
        await using var wrongCommunity = new SimulatedSnmpAgent(new FakeSnmpDevice("secret").System("1.3.6.1.4.1.9.1.1", "x").Table, community: "s3cret");
        await using var failing = new SimulatedSnmpAgent(new FakeSnmpDevice("failing").System("1.3.6.1.4.1.9.1.1", "x").Table) { ErrorStatus = SnmpErrorStatus.GenErr };
        var closedPort = SnmpClosedPort();

        var watch = Stopwatch.StartNew();
        var devices = await DiscoverAsync([.. Targets(_r1, _r2, _r3), wrongCommunity.EndPoint.ToString(), failing.EndPoint.ToString(), closedPort, "not-an-address", "10.0.0.0/33"]);

        Assert.Equal(["r1", "r3"], devices.Keys.Order());
        Assert.True(wrongCommunity.RequestsReceived == 0, "a wrong community must not be answered");
        // A hang guard, not a performance figure: waiting on every silent target in turn would take minutes.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the cycle took {watch.Elapsed}");
    }

    [Fact]
    public async Task Addresses_that_answer_ping_but_not_snmp_are_reported_alive_but_unmanageable_once_each()
    {
        // Every agent here is on loopback, which answers ICMP echo: a wrong community, an agent that answers with
        // an error and a port with no agent at all are devices that are there but cannot be managed.
        await using var wrongCommunity = new SimulatedSnmpAgent(new FakeSnmpDevice("secret").System("1.3.6.1.4.1.9.1.1", "x").Table, community: "s3cret");
        await using var failing = new SimulatedSnmpAgent(new FakeSnmpDevice("failing").System("1.3.6.1.4.1.9.1.1", "x").Table) { ErrorStatus = SnmpErrorStatus.GenErr };
        var noAgent = SnmpClosedPort();
        var logger = new RecordingLogger<SnmpDriver>();
        // Generous timeouts: a busy machine must not turn a slow answer into a missing one.
        var options = new SnmpDriverOptions { Community = "public", TimeoutMs = 2000, IcmpTimeoutMs = 3000, Retries = 0, Parallelism = 8 };
        await using var driver = new SnmpDriver(Options.Create(options), logger);
        var scope = new DiscoveryScope(new ControllerId(new RegionId("t", "r"), "lc-1"), [.. Targets(_r1), wrongCommunity.EndPoint.ToString(), failing.EndPoint.ToString(), noAgent]);

        var first = await CollectAsync(driver, scope);
        var second = await CollectAsync(driver, scope);

        Assert.Equal(["r1"], first.Select(o => o.Name));
        Assert.Equal(["r1"], second.Select(o => o.Name));
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("unmanageable", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            new[] { failing.EndPoint.ToString(), noAgent, wrongCommunity.EndPoint.ToString() }.Order(StringComparer.Ordinal),
            warnings.Select(w => (string)w["Address"]!).Order(StringComparer.Ordinal));
        Assert.All(warnings, w => Assert.Equal(true, w["IcmpAlive"]));
        Assert.Contains("genErr", (string)warnings.Single(w => (string)w["Address"]! == failing.EndPoint.ToString())["Reason"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("answers ICMP echo but not SNMP", (string)warnings.Single(w => (string)w["Address"]! == noAgent)["Reason"]!, StringComparison.Ordinal);

        var cycles = logger.Entries.Where(e => e.Values.ContainsKey("Unmanageable")).ToList();
        Assert.Equal(2, cycles.Count);
        Assert.All(cycles, c => Assert.Equal((1, 3, 0, 4, LogLevel.Information), ((int)c["Observed"]!, (int)c["Unmanageable"]!, (int)c["Silent"]!, (int)c["IcmpAlive"]!, c.Level)));
    }

    [Fact]
    public async Task Without_icmp_a_silent_address_is_silent_not_unmanageable()
    {
        await using var wrongCommunity = new SimulatedSnmpAgent(new FakeSnmpDevice("secret").System("1.3.6.1.4.1.9.1.1", "x").Table, community: "s3cret");
        var logger = new RecordingLogger<SnmpDriver>();

        var devices = await DiscoverAsync([.. Targets(_r1), wrongCommunity.EndPoint.ToString()], logger: logger, icmp: false);

        Assert.Equal(["r1"], devices.Keys);
        var cycle = Assert.Single(logger.Entries, e => e.Values.ContainsKey("Unmanageable"));
        Assert.Equal((1, 0, 1, 0), ((int)cycle["Observed"]!, (int)cycle["Unmanageable"]!, (int)cycle["Silent"]!, (int)cycle["IcmpAlive"]!));
    }

    [Fact]
    public async Task Devices_are_polled_in_parallel_up_to_the_limit()
    {
        var agents = Enumerable.Range(0, 12)
            .Select(i => Agent(new FakeSnmpDevice($"p{i}").System("1.3.6.1.4.1.8072.3.2.10", "Linux p 6.1.0").Interface(1, "eth0", Mac(50, i))))
            .ToList();
        foreach (var agent in agents)
        {
            agent.ResponseDelay = TimeSpan.FromSeconds(1);
        }

        var watch = Stopwatch.StartNew();
        var devices = await DiscoverAsync([.. agents.Select(a => a.EndPoint.ToString())], parallelism: 12, timeoutMs: 10000);

        // Each device takes two round trips of 1 s or more; one after another 12 would take 24 s at least, so
        // anything well under that means they overlapped, however busy the machine.
        Assert.Equal(12, devices.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the cycle took {watch.Elapsed}");
    }

    [Fact]
    public async Task Without_a_community_the_driver_discovers_nothing_instead_of_failing_the_cycle()
    {
        var devices = await DiscoverAsync(Targets(_r1), community: null);

        Assert.Empty(devices);
    }

    private static string SnmpClosedPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket.LocalEndPoint!.ToString()!;
    }

    private static string[] Targets(params SimulatedSnmpAgent[] agents) => [.. agents.Select(a => a.EndPoint.ToString())];

    private static async Task<Dictionary<string, DeviceObservation>> DiscoverAsync(
        IReadOnlyList<string> targets, string? community = "public", int parallelism = 8, int timeoutMs = 300, ILogger<SnmpDriver>? logger = null, bool icmp = true)
    {
        var options = new SnmpDriverOptions { Community = community, TimeoutMs = timeoutMs, Retries = 1, Parallelism = parallelism, Icmp = icmp };
        await using var driver = new SnmpDriver(Options.Create(options), logger ?? NullLogger<SnmpDriver>.Instance);
        var scope = new DiscoveryScope(new ControllerId(new RegionId("t", "r"), "lc-1"), targets);
        var result = new Dictionary<string, DeviceObservation>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var observation in driver.DiscoverAsync(scope, timeout.Token))
        {
            result.Add(observation.Name, observation);
        }

        return result;
    }

    private static async Task<List<DeviceObservation>> CollectAsync(SnmpDriver driver, DiscoveryScope scope)
    {
        var result = new List<DeviceObservation>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var observation in driver.DiscoverAsync(scope, timeout.Token))
        {
            result.Add(observation);
        }

        return result;
    }

    private SimulatedSnmpAgent Agent(FakeSnmpDevice device)
    {
        var agent = new SimulatedSnmpAgent(device.Table);
        _agents.Add(agent);
        return agent;
    }
}
