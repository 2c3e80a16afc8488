using Pdsno.Abstractions.Config;

namespace Pdsno.UnitTests.Config;

public sealed class DeviceConfigTests
{
    private static readonly DeviceConfig Config = new(
        "r1", "hall 1", "noc", ["192.0.2.1", "192.0.2.2"], ["192.0.2.53"],
        [new InterfaceConfig("eth0", true, "", 1500), new InterfaceConfig("eth1", false, "uplink", 9000)],
        [new StaticRoute("10.0.0.0/8", "10.1.1.1"), new StaticRoute("10.9.0.0/16", "10.1.1.2", "eth1", 5)]);

    [Fact]
    public void Two_configs_are_the_same_whatever_the_order_of_interfaces_and_routes_and_repeated_or_padded_servers()
    {
        var shuffled = Config with
        {
            NtpServers = ["192.0.2.1", " 192.0.2.2", "192.0.2.1"],
            Interfaces = [.. Config.Interfaces.Reverse()],
            Routes = [.. Config.Routes.Reverse()],
        };

        Assert.True(Config.SameAs(shuffled));
        Assert.Empty(ConfigDiff.Compute(Config, shuffled));
        Assert.Equal(Config.Hash(), shuffled.Hash());
    }

    [Theory]
    [InlineData("hostname")]
    [InlineData("ntp")]
    [InlineData("mtu")]
    [InlineData("metric")]
    public void Any_setting_that_differs_makes_them_differ_and_the_diff_names_it(string what)
    {
        var other = what switch
        {
            "hostname" => Config with { Hostname = "r2" },
            "ntp" => Config with { NtpServers = ["192.0.2.2", "192.0.2.1"] },
            "mtu" => Config with { Interfaces = [Config.Interfaces[0], Config.Interfaces[1] with { Mtu = 1500 }] },
            _ => Config with { Routes = [Config.Routes[0], Config.Routes[1] with { Metric = 6 }] },
        };

        Assert.False(Config.SameAs(other));
        Assert.NotEmpty(ConfigDiff.Compute(Config, other));
        Assert.NotEqual(Config.Hash(), other.Hash());
        Assert.False(Config.SameAs(null));
    }
}
