using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Domain;

public class SimulatedNetworkModelTests
{
    private static readonly SimulatedNetworkDefinition Mixed = new(7,
    [
        SimulatedNetworkPart.Generated("lab", 42, 30, 2),
        SimulatedNetworkPart.Imported("abilene", ShippedTopologies.Load("Abilene"), "us-backbone"),
    ]);

    [Fact]
    public void Builds_generated_and_imported_parts_into_one_network()
    {
        var model = SimulatedNetworkModel.Build(Mixed);
        var abilene = TopologyZooImporter.Import(ShippedTopologies.Load("Abilene"), "us-backbone", "abilene").Topology;

        Assert.Equal(7, model.Version);
        Assert.Equal(30 + abilene.Devices.Length, model.Devices.Length);
        Assert.Equal(["region-1", "region-2", "us-backbone"], model.Regions.AsEnumerable());
    }

    [Fact]
    public void Devices_in_a_region_are_exactly_that_regions_devices()
    {
        var model = SimulatedNetworkModel.Build(Mixed);

        foreach (var region in model.Regions)
        {
            var devices = model.DevicesIn(region);
            Assert.NotEmpty(devices);
            Assert.All(devices, d => Assert.Equal(region, d.Region));
        }

        Assert.Equal(model.Devices.Length, model.Regions.Sum(r => model.DevicesIn(r).Length));
        Assert.Empty(model.DevicesIn("nowhere"));
    }

    [Fact]
    public void A_generated_part_prefixes_its_device_names_and_the_default_part_does_not()
    {
        var named = SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(1, [SimulatedNetworkPart.Generated("lab", 1, 4, 1)]));
        var unnamed = SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(1, [SimulatedNetworkPart.Generated("default", 1, 4, 1)]));

        Assert.All(named.Devices, d => Assert.StartsWith("lab-", d.Name, StringComparison.Ordinal));
        Assert.All(unnamed.Devices, d => Assert.StartsWith("r1-", d.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Each_link_end_points_at_the_other_end_and_back()
    {
        var model = SimulatedNetworkModel.Build(Mixed);

        Assert.NotEmpty(model.Links);
        foreach (var (deviceA, link, deviceB) in model.Links)
        {
            var a = model.EndOf(deviceA, link.AInterface);
            var b = model.EndOf(deviceB, link.BInterface);
            Assert.NotNull(a);
            Assert.NotNull(b);
            Assert.Equal((link.BDevice, link.BInterface), (a.Peer.Name, a.PeerInterface));
            Assert.Equal((link.ADevice, link.AInterface), (b.Peer.Name, b.PeerInterface));
            Assert.Equal(a.Key, b.Key);
            Assert.Equal(a.OutBytesPerSecond, b.InBytesPerSecond);
            Assert.Equal(a.InBytesPerSecond, b.OutBytesPerSecond);
        }
    }

    [Fact]
    public void Link_keys_match_the_fault_keys_the_sandbox_uses()
    {
        var model = SimulatedNetworkModel.Build(Mixed);
        var (a, link, b) = model.Links.First();

        var end = model.EndOf(b, link.BInterface)!;

        Assert.Equal(SimulatedFaults.LinkKey(b.Key, link.BInterface, a.Key, link.AInterface), end.Key);
        Assert.Equal(SimulatedFaults.DeviceKey(a.Region, a.Name), a.Key);
    }

    [Fact]
    public void Traffic_in_each_direction_is_positive_and_below_the_link_speed()
    {
        var model = SimulatedNetworkModel.Build(Mixed);

        foreach (var (a, link, _) in model.Links)
        {
            var end = model.EndOf(a, link.AInterface)!;
            var limit = link.SpeedBps / 8.0;
            Assert.InRange(end.OutBytesPerSecond, double.Epsilon, limit);
            Assert.InRange(end.InBytesPerSecond, double.Epsilon, limit);
            Assert.True(end.OutBytesPerSecond < limit, $"{end.Key} sends at line rate");
            Assert.True(end.InBytesPerSecond < limit, $"{end.Key} receives at line rate");
        }
    }

    [Fact]
    public void Directions_of_a_link_usually_carry_different_traffic()
    {
        var model = SimulatedNetworkModel.Build(Mixed);

        var links = model.Links.ToList();
        var asymmetric = links.Count(l => model.EndOf(l.A, l.Link.AInterface) is { } e && e.InBytesPerSecond != e.OutBytesPerSecond);

        Assert.True(asymmetric > links.Count / 2, $"only {asymmetric} of {links.Count} links are asymmetric");
    }

    [Fact]
    public void An_uncabled_interface_has_no_link_end()
    {
        var model = SimulatedNetworkModel.Build(Mixed);
        var cabled = model.Links
            .SelectMany(l => new[] { (l.A.Key, l.Link.AInterface), (l.B.Key, l.Link.BInterface) })
            .ToHashSet();

        var (device, iface) = model.Devices
            .SelectMany(d => d.Interfaces.Select(i => (d, i.Name)))
            .First(x => !cabled.Contains((x.d.Key, x.Name)));

        Assert.Null(model.EndOf(device, iface));
        Assert.Null(model.EndOf(device with { Name = "no-such-device" }, "Ethernet1"));
    }

    [Fact]
    public void Every_silo_builds_the_same_model_from_the_same_definition()
    {
        var first = SimulatedNetworkModel.Build(Mixed);
        var second = SimulatedNetworkModel.Build(Mixed);

        Assert.Equal(first.Devices.AsEnumerable(), second.Devices.AsEnumerable(), (x, y) => x.Name == y.Name && x.ChassisId == y.ChassisId);
        foreach (var (a, link, _) in first.Links)
        {
            Assert.Equal(first.EndOf(a, link.AInterface)!.OutBytesPerSecond, second.EndOf(second.FindDevice(a.Key)!, link.AInterface)!.OutBytesPerSecond);
        }
    }

    [Fact]
    public void An_empty_definition_is_an_empty_network()
    {
        var model = SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(3, []));

        Assert.Empty(model.Devices);
        Assert.Empty(model.DevicesIn("region-1"));
        Assert.Equal(3, model.Version);
    }

    [Fact]
    public void Parts_whose_devices_collide_are_rejected()
    {
        var twice = new SimulatedNetworkDefinition(1, [SimulatedNetworkPart.Generated("lab", 1, 4, 1), SimulatedNetworkPart.Generated("lab", 1, 4, 1)]);

        var error = Assert.Throws<ArgumentException>(() => SimulatedNetworkModel.Build(twice));

        Assert.Contains("lab-r1-core-1", error.Message, StringComparison.Ordinal);
    }
}
