using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

public class SimulatedTopologyTests
{
    private static SimDevice Device(string name, string chassis, string region = "east", params string[] interfaces) => new(
        name, region, chassis, "Arista", "7050SX3-48YC8", "EOS 4.31.2F", "10.0.0.1", "distribution",
        [.. interfaces.Select((n, i) => new SimInterface(i + 1, n, $"02:ff:00:00:00:{i:x2}", 10_000_000_000L))],
        null, null);

    private static SimLink Link(string a, string ai, string b, string bi) => new(a, ai, b, bi, 10_000_000_000L);

    [Fact]
    public void Indexes_devices_links_and_regions()
    {
        var topology = new SimulatedTopology(
            [Device("b", "02:00:00:00:00:02", "west", "Ethernet1"), Device("a", "02:00:00:00:00:01", "east", "Ethernet1", "Ethernet2"), Device("c", "02:00:00:00:00:03", "east")],
            [Link("a", "Ethernet1", "b", "Ethernet1")]);

        Assert.Equal(["east", "west"], topology.Regions.AsEnumerable());
        Assert.Equal("a", topology.FindDevice("a")!.Name);
        Assert.Null(topology.FindDevice("zzz"));
        Assert.Single(topology.LinksOf("a"));
        Assert.Single(topology.LinksOf("b"));
        Assert.Empty(topology.LinksOf("c"));
        Assert.Empty(topology.LinksOf("zzz"));
    }

    [Fact]
    public void Duplicate_device_names_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatedTopology(
            [Device("a", "02:00:00:00:00:01"), Device("a", "02:00:00:00:00:02")], []));

        Assert.Contains("Duplicate device name 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_chassis_ids_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatedTopology(
            [Device("a", "02:00:00:00:00:01"), Device("b", "02:00:00:00:00:01")], []));

        Assert.Contains("'b' has chassis id 02:00:00:00:00:01, already used by device 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_to_unknown_devices_or_interfaces_are_rejected()
    {
        SimDevice[] devices = [Device("a", "02:00:00:00:00:01", "east", "Ethernet1"), Device("b", "02:00:00:00:00:02", "east", "Ethernet1")];

        var unknownDevice = Assert.Throws<ArgumentException>(() => new SimulatedTopology(devices, [Link("a", "Ethernet1", "x", "Ethernet1")]));
        var unknownInterface = Assert.Throws<ArgumentException>(() => new SimulatedTopology(devices, [Link("a", "Ethernet1", "b", "Ethernet9")]));

        Assert.Contains("unknown device 'x'", unknownDevice.Message, StringComparison.Ordinal);
        Assert.Contains("interface 'Ethernet9', which device 'b' does not have", unknownInterface.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interface_may_be_in_only_one_link()
    {
        SimDevice[] devices =
        [
            Device("a", "02:00:00:00:00:01", "east", "Ethernet1"),
            Device("b", "02:00:00:00:00:02", "east", "Ethernet1"),
            Device("c", "02:00:00:00:00:03", "east", "Ethernet1"),
        ];

        var error = Assert.Throws<ArgumentException>(() => new SimulatedTopology(
            devices, [Link("a", "Ethernet1", "b", "Ethernet1"), Link("c", "Ethernet1", "a", "Ethernet1")]));

        Assert.Contains("a:Ethernet1 is in more than one link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_from_an_interface_to_itself_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatedTopology(
            [Device("a", "02:00:00:00:00:01", "east", "Ethernet1")], [Link("a", "Ethernet1", "a", "Ethernet1")]));

        Assert.Contains("a:Ethernet1 is in more than one link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_unions_and_rejects_collisions_naming_the_device()
    {
        var left = SeededTopologyGenerator.Generate(1, 20, 2, "left-");
        var right = SeededTopologyGenerator.Generate(1, 30, 3, "right-");

        var merged = left.Merge(right);
        var sameNames = Assert.Throws<ArgumentException>(() => left.Merge(left));
        var sameChassis = Assert.Throws<ArgumentException>(() => left.Merge(new SimulatedTopology(
            [left.Devices[0] with { Name = "imposter" }], [])));

        Assert.Equal(50, merged.Devices.Length);
        Assert.Equal(left.Links.Length + right.Links.Length, merged.Links.Length);
        Assert.Equal(["region-1", "region-2", "region-3"], merged.Regions.AsEnumerable());
        Assert.Contains("'left-r1-core-1'", sameNames.Message, StringComparison.Ordinal);
        Assert.Contains("'imposter'", sameChassis.Message, StringComparison.Ordinal);
        Assert.Contains("'left-r1-core-1'", sameChassis.Message, StringComparison.Ordinal);
    }
}
