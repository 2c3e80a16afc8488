using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Ids;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Snmp.Discovery;
using static Pdsno.UnitTests.Snmp.Driver.FakeSnmpDevice;

namespace Pdsno.UnitTests.Snmp.Driver;

/// <summary>An agent that answers with more rows than anyone should keep has its walks cut, and the cut is recorded on the device.</summary>
public sealed class WalkLimitTests
{
    private static SimulatedSnmpAgent Agent(int interfaces)
    {
        var device = new FakeSnmpDevice("huge").System("1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, Version 15.2(4)E10");
        for (var i = 1; i <= interfaces; i++)
        {
            device.Interface(i, $"Gi0/{i}", Mac(7, i % 250));
        }

        return new SimulatedSnmpAgent(device.Table);
    }

    private static async Task<DeviceObservation> DiscoverAsync(SimulatedSnmpAgent agent, int maxRowsPerTable, int maxRowsPerDevice)
    {
        var options = new SnmpDriverOptions
        {
            Community = "public", TimeoutMs = 2000, Retries = 1, Icmp = false,
            MaxRowsPerTable = maxRowsPerTable, MaxRowsPerDevice = maxRowsPerDevice,
        };
        await using var driver = new SnmpDriver(Options.Create(options), NullLogger<SnmpDriver>.Instance);
        var scope = new DiscoveryScope(new ControllerId(new RegionId("t", "r"), "lc-1"), [agent.EndPoint.ToString()]);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = new List<DeviceObservation>();
        await foreach (var observation in driver.DiscoverAsync(scope, guard.Token))
        {
            result.Add(observation);
        }

        return Assert.Single(result);
    }

    [Fact]
    public async Task A_table_walk_stops_at_the_row_limit_and_the_device_records_why()
    {
        await using var agent = Agent(300);

        var device = await DiscoverAsync(agent, maxRowsPerTable: 100, maxRowsPerDevice: 1000);

        Assert.Equal(100, device.Interfaces.Length);
        Assert.Contains("walk of 1.3.6.1.2.1.2.2.1 stopped after 100 rows: Discovery:Snmp:MaxRowsPerTable is 100", device.Problems);
    }

    [Fact]
    public async Task The_walks_of_one_device_share_a_row_limit()
    {
        await using var agent = Agent(100);

        var device = await DiscoverAsync(agent, maxRowsPerTable: 100, maxRowsPerDevice: 150);

        Assert.Contains(device.Problems, p => p.Contains("reached Discovery:Snmp:MaxRowsPerDevice (150)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Under_the_limits_nothing_is_cut()
    {
        await using var agent = Agent(100);

        var device = await DiscoverAsync(agent, maxRowsPerTable: 100, maxRowsPerDevice: 400);

        Assert.Equal(100, device.Interfaces.Length);
        Assert.DoesNotContain(device.Problems, p => p.Contains("stopped after", StringComparison.Ordinal));
    }

    [Fact]
    public void Row_limits_are_validated_naming_the_key()
    {
        var problems = new SnmpDriverOptions { Community = "x", MaxRowsPerTable = 0 }.Problems();
        var device = new SnmpDriverOptions { Community = "x", MaxRowsPerTable = 100, MaxRowsPerDevice = 50 }.Problems();

        Assert.Contains(problems, p => p.StartsWith("Discovery:Snmp:MaxRowsPerTable is 0", StringComparison.Ordinal));
        Assert.Contains(device, p => p.StartsWith("Discovery:Snmp:MaxRowsPerDevice is 50", StringComparison.Ordinal));
        Assert.Empty(new SnmpDriverOptions { Community = "x" }.Problems());
    }
}
