using System.Text.RegularExpressions;
using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

public class SeededTopologyGeneratorTests
{
    private static readonly Regex LocalMac = new("^02(:[0-9a-f]{2}){5}$");

    [Fact]
    public void Same_arguments_give_the_same_topology()
    {
        var first = SeededTopologyGenerator.Generate(42, 750, 4, "lab-");
        var second = SeededTopologyGenerator.Generate(42, 750, 4, "lab-");

        Assert.Equal(TopologyAssertions.Fingerprint(first), TopologyAssertions.Fingerprint(second));
    }

    [Fact]
    public void Different_seeds_give_different_topologies()
    {
        var first = SeededTopologyGenerator.Generate(1, 300, 2);
        var second = SeededTopologyGenerator.Generate(2, 300, 2);

        Assert.NotEqual(TopologyAssertions.Fingerprint(first), TopologyAssertions.Fingerprint(second));
        Assert.Empty(first.Devices.Select(d => d.ChassisId).Intersect(second.Devices.Select(d => d.ChassisId)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(5, 1)]
    [InlineData(7, 3)]
    [InlineData(40, 40)]
    [InlineData(1000, 7)]
    [InlineData(5000, 1)]
    public void Generates_the_requested_devices_and_regions_all_connected(int devices, int regions)
    {
        var topology = SeededTopologyGenerator.Generate(7, devices, regions);

        Assert.Equal(devices, topology.Devices.Length);
        Assert.Equal(Enumerable.Range(1, regions).Select(r => $"region-{r}").Order(StringComparer.Ordinal), topology.Regions);
        Assert.Equal(devices, TopologyAssertions.Reachable(topology).Count);
    }

    [Fact]
    public void Regions_have_two_linked_cores_and_role_based_names()
    {
        var topology = SeededTopologyGenerator.Generate(3, 200, 2, "x-");

        var r1 = topology.Devices.Where(d => d.Region == "region-1").ToList();
        Assert.Equal(["x-r1-core-1", "x-r1-core-2"], r1.Where(d => d.Role == "core").Select(d => d.Name));
        Assert.Contains(topology.LinksOf("x-r1-core-1"), l => l.BDevice == "x-r1-core-2" && l.SpeedBps == 100_000_000_000L);
        Assert.All(r1, d => Assert.Matches(@"^x-r1-(core|dist|acc)-\d+$", d.Name));
        Assert.Contains(r1, d => d.Role == "distribution");
        Assert.Contains(r1, d => d.Role == "access");
        Assert.All(r1.Where(d => d.Role == "access"), d => Assert.Contains("-acc-", d.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Link_speeds_follow_roles()
    {
        var topology = SeededTopologyGenerator.Generate(5, 2000, 3);

        foreach (var link in topology.Links)
        {
            var roles = new[] { topology.FindDevice(link.ADevice)!.Role, topology.FindDevice(link.BDevice)!.Role };
            var expected = roles.Contains("access") ? new[] { 1_000_000_000L, 10_000_000_000L }
                : roles.All(r => r == "core") ? [100_000_000_000L]
                : [10_000_000_000L];
            Assert.Contains(link.SpeedBps, expected);
        }
    }

    [Fact]
    public void Addresses_are_unique_and_locally_administered()
    {
        var topology = SeededTopologyGenerator.Generate(11, 3000, 5);

        var chassis = topology.Devices.Select(d => d.ChassisId).ToList();
        var macs = topology.Devices.SelectMany(d => d.Interfaces).Select(i => i.Mac).ToList();
        Assert.All(chassis.Concat(macs), m => Assert.Matches(LocalMac, m));
        Assert.Equal(chassis.Count + macs.Count, chassis.Concat(macs).Distinct().Count());
        Assert.Equal(topology.Devices.Length, topology.Devices.Select(d => d.ManagementAddress).Distinct().Count());
        Assert.All(topology.Devices, d => Assert.Matches(@"^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$", d.ManagementAddress));
    }

    [Fact]
    public void Interfaces_are_realistic_per_vendor_with_an_unlinked_management_port()
    {
        var topology = SeededTopologyGenerator.Generate(9, 10_000, 10);
        var patterns = new Dictionary<string, string>
        {
            ["Cisco"] = @"^(GigabitEthernet0|GigabitEthernet0/0/\d+|TenGigabitEthernet0/1/\d+|HundredGigE0/2/\d+)$",
            ["Juniper"] = @"^(fxp0|ge-0/0/\d+|xe-0/1/\d+|et-0/2/\d+)$",
            ["Arista"] = @"^(Management1|Ethernet\d+)$",
            ["Nokia"] = @"^(A/1|1/1/\d+)$",
        };
        var linked = topology.Links.SelectMany(l => new[] { (l.ADevice, l.AInterface), (l.BDevice, l.BInterface) }).ToHashSet();

        Assert.Equal(patterns.Keys.Order(), topology.Devices.Select(d => d.Vendor).Distinct().Order());
        foreach (var device in topology.Devices)
        {
            Assert.Equal(Enumerable.Range(1, device.Interfaces.Length), device.Interfaces.Select(i => i.Index));
            Assert.All(device.Interfaces, i => Assert.Matches(patterns[device.Vendor], i.Name));
            Assert.DoesNotContain((device.Name, device.Interfaces[0].Name), linked);
            Assert.True(device.Interfaces.Length > topology.LinksOf(device.Name).Count + 1, $"{device.Name} has no spare port");
        }

        var average = topology.Devices.Average(d => d.Interfaces.Length);
        Assert.InRange(average, 8, 12);
    }

    [Fact]
    public void Large_topologies_generate_connected_and_bounded()
    {
        // How fast is the bench's business (scripts/bench.sh); here only the shape is checked.
        var topology = SeededTopologyGenerator.Generate(1, 100_000, 50);

        Assert.Equal(100_000, topology.Devices.Length);
        Assert.Equal(100_000, TopologyAssertions.Reachable(topology).Count);
        Assert.True(topology.Devices.Max(d => topology.LinksOf(d.Name).Count) < 64, "some device fans out without bound");
    }

    [Theory]
    [InlineData(0, 1, "deviceCount")]
    [InlineData(-5, 1, "deviceCount")]
    [InlineData(10, 0, "regionCount")]
    [InlineData(10, 11, "regionCount")]
    public void Bad_arguments_are_rejected(int devices, int regions, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SeededTopologyGenerator.Generate(1, devices, regions));

        Assert.Equal(parameter, error.ParamName);
    }
}
