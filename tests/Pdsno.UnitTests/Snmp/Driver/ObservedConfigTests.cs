using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Discovery;
using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;
using static Pdsno.UnitTests.Snmp.Driver.FakeSnmpDevice;

namespace Pdsno.UnitTests.Snmp.Driver;

/// <summary>SNMP discovery reports the running config it can see: System and Interfaces, and only what the agent really has.</summary>
public sealed class ObservedConfigTests
{
    private static FakeSnmpDevice Linux()
    {
        var device = new FakeSnmpDevice("core-1")
            .System("1.3.6.1.4.1.8072.3.2.10", "Linux core-1 6.1.0 x86_64")
            .Set("1.3.6.1.2.1.1.6.0", SnmpValue.OctetString("Row 3"))
            .Set("1.3.6.1.2.1.1.4.0", SnmpValue.OctetString("noc@example.net"))
            .Interface(1, "lo", [])
            .Interface(2, "mgmt0", Mac(1, 0))
            .Interface(3, "eth1", Mac(1, 1), oper: 2);
        foreach (var (index, type, mtu, admin, alias) in new[] { (1, 24, 65536, 1, ""), (2, 6, 1500, 1, "management"), (3, 6, 9000, 2, "to \"lab2\" $(x)") })
        {
            device.Set($"1.3.6.1.2.1.2.2.1.3.{index}", SnmpValue.Integer32(type))
                .Set($"1.3.6.1.2.1.2.2.1.4.{index}", SnmpValue.Integer32(mtu))
                .Set($"1.3.6.1.2.1.2.2.1.7.{index}", SnmpValue.Integer32(admin))
                .Set($"1.3.6.1.2.1.31.1.1.1.18.{index}", SnmpValue.OctetString(alias));
        }

        return device;
    }

    private static async Task<DeviceObservation> ReadAsync(FakeSnmpDevice device, Action<SimulatedSnmpAgent>? change = null)
    {
        await using var agent = new SimulatedSnmpAgent(device.Table);
        change?.Invoke(agent);
        await using var client = new SnmpClient(new SnmpClientOptions { Timeout = TimeSpan.FromMilliseconds(500), Retries = 1 });
        var read = await new SnmpDeviceReader(client).ReadAsync(agent.Target(), "192.0.2.1", CancellationToken.None);
        return read.Observation!;
    }

    [Fact]
    public async Task System_and_interfaces_are_read_into_the_config_without_the_loopback()
    {
        var observation = await ReadAsync(Linux());

        Assert.Equal(ConfigSections.System | ConfigSections.Interfaces, observation.ConfigSections);
        var config = observation.Config!;
        Assert.Equal(("core-1", "Row 3", "noc@example.net"), (config.Hostname, config.Location, config.Contact));
        InterfaceConfig[] expected = [new("eth1", false, "to \"lab2\" $(x)", 9000), new("mgmt0", true, "management", 1500)];
        Assert.Equal(expected, config.Interfaces.ToArray());
        Assert.Empty(config.Routes);
    }

    [Fact]
    public async Task An_agent_without_ifXTable_gives_no_interfaces_section_rather_than_empty_descriptions()
    {
        var observation = await ReadAsync(Linux(), agent =>
        {
            foreach (var column in new uint[] { 1, 6, 10, 15, 18 })
            {
                for (var index = 1u; index <= 3; index++)
                {
                    agent.Remove(Oid.Parse($"1.3.6.1.2.1.31.1.1.1.{column}.{index}"));
                }
            }
        });

        Assert.Equal(ConfigSections.System, observation.ConfigSections);
        Assert.Empty(observation.Config!.Interfaces);
        Assert.Equal(3, observation.Interfaces.Length);
    }

    [Fact]
    public async Task An_agent_without_sysContact_or_ifMtu_gives_no_config_and_still_an_observation()
    {
        var observation = await ReadAsync(Linux(), agent =>
        {
            agent.Remove(Oid.Parse("1.3.6.1.2.1.1.4.0"));
            agent.Remove(Oid.Parse("1.3.6.1.2.1.2.2.1.4.2"));
        });

        Assert.Equal(ConfigSections.None, observation.ConfigSections);
        Assert.Null(observation.Config);
        Assert.Equal("core-1", observation.Name);
    }

    [Fact]
    public async Task Net_snmps_stand_in_for_an_empty_location_reads_as_empty()
    {
        var observation = await ReadAsync(Linux(), agent => agent.Set(Oid.Parse("1.3.6.1.2.1.1.6.0"), SnmpValue.OctetString("\"\"")));

        Assert.Equal("", observation.Config!.Location);
    }
}
