using Pdsno.Abstractions.Config;
using Pdsno.Discovery.Config;

namespace Pdsno.UnitTests.Config;

/// <summary>What a Linux device prints for the ssh driver's read, parsed into the shared model.</summary>
public sealed class LinuxDeviceStateParserTests
{
    private const string Output = """
        noise before the first marker
        @@pdsno link@@
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"link_type":"loopback"},{"ifindex":2,"ifname":"mgmt0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"link_type":"ether","ifalias":"management"},{"ifindex":3,"ifname":"eth1","flags":["BROADCAST","MULTICAST"],"mtu":1400,"link_type":"ether","ifalias":"a \"q\" $(x)\nline2"},{"ifindex":4,"ifname":"eth2","flags":["BROADCAST","MULTICAST","UP"],"mtu":9000,"link_type":"ether"}]

        @@pdsno addr@@
        [{"ifindex":2,"ifname":"mgmt0","addr_info":[{"family":"inet","local":"100.64.0.11","prefixlen":16}]},{"ifindex":3,"ifname":"eth1","addr_info":[{"family":"inet","local":"100.65.0.1","prefixlen":31}]}]

        @@pdsno route@@
        [{"dst":"default","gateway":"100.64.0.1","dev":"mgmt0","flags":[]},{"dst":"10.8.0.0/24","gateway":"100.65.0.0","dev":"eth1","metric":7,"flags":[]},{"dst":"10.9.0.0/24","gateway":"100.65.0.0","dev":"eth1","flags":["onlink"]},{"dst":"10.1.1.1","gateway":"100.65.0.0","dev":"eth1","flags":[]},{"dst":"10.5.0.0/16","dev":"eth2","flags":[]}]

        @@pdsno hostname@@
        core-2

        @@pdsno resolv@@
        # generated
        search example.net
        nameserver 192.0.2.53
          nameserver   192.0.2.54
        @@pdsno ntp@@
        server ntp1.example.net iburst
        pool 192.0.2.123 iburst
        @@pdsno snmp@@
        sysName core-2
        sysLocation Row 3, "cage" 7
        sysContact ""
        @@pdsno end@@
        """;

    [Fact]
    public void Every_section_is_parsed_into_the_model()
    {
        var state = LinuxDeviceStateParser.Parse(Output, "100.64.0.11");

        Assert.Equal("mgmt0", state.ManagementInterface);
        var expected = new DeviceConfig(
            "core-2", "Row 3, \"cage\" 7", "", ["ntp1.example.net", "192.0.2.123"], ["192.0.2.53", "192.0.2.54"],
            [new InterfaceConfig("eth1", false, "a \"q\" $(x)\nline2", 1400), new InterfaceConfig("eth2", true, "", 9000), new InterfaceConfig("mgmt0", true, "management", 1500)],
            [new StaticRoute("10.1.1.1/32", "100.65.0.0"), new StaticRoute("10.8.0.0/24", "100.65.0.0", Metric: 7), new StaticRoute("10.9.0.0/24", "100.65.0.0", "eth1")]);
        Assert.Equal(expected.ToJson(), state.Config.ToJson());
    }

    [Fact]
    public void A_missing_section_or_broken_json_is_a_format_error_naming_it()
    {
        var withoutRoutes = Output.Replace("@@pdsno route@@", "@@pdsno other@@", StringComparison.Ordinal);
        Assert.Contains("'route'", Assert.Throws<FormatException>(() => LinuxDeviceStateParser.Parse(withoutRoutes, "100.64.0.11")).Message, StringComparison.Ordinal);

        var broken = Output.Replace("[{\"ifindex\":1,", "[{\"ifindex\":1", StringComparison.Ordinal);
        Assert.StartsWith("ip -j link printed invalid JSON", Assert.Throws<FormatException>(() => LinuxDeviceStateParser.Parse(broken, "100.64.0.11")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_files_and_tables_read_as_empty()
    {
        var state = LinuxDeviceStateParser.Parse("@@pdsno link@@\n[]\n@@pdsno addr@@\n\n@@pdsno route@@\n[]\n@@pdsno hostname@@\nx\n@@pdsno resolv@@\n@@pdsno ntp@@\n@@pdsno snmp@@\n@@pdsno end@@\n", "192.0.2.1");

        Assert.Equal(DeviceConfig.Empty("x").ToJson(), state.Config.ToJson());
        Assert.Null(state.ManagementInterface);
    }
}
