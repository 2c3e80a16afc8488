using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

public class TopologyZooImporterTests
{
    private static TopologyImport Import(string text, string source = "test") =>
        TopologyZooImporter.Import(text, "zoo", source);

    [Fact]
    public void Abilene_imports_11_devices_and_14_links_with_coordinates()
    {
        var import = Import(ShippedTopologies.Load("Abilene"), "Abilene");
        var topology = import.Topology;

        Assert.Equal(11, topology.Devices.Length);
        Assert.Equal(14, topology.Links.Length);
        Assert.Equal((11, 14), (import.Report.NodesImported, import.Report.EdgesImported));
        Assert.Empty(import.Report.Skipped);
        Assert.Equal(["zoo"], topology.Regions.AsEnumerable());
        var newYork = topology.FindDevice("new-york");
        Assert.NotNull(newYork);
        Assert.Equal(40.71427, newYork.Latitude);
        Assert.Equal(-74.00597, newYork.Longitude);
        Assert.NotNull(topology.FindDevice("washington-dc"));
        Assert.Contains(topology.LinksOf("new-york"), l => l.ADevice == "chicago" || l.BDevice == "chicago");

        // Abilene's links are labelled "OC-192c" only.
        Assert.All(topology.Links, l => Assert.Equal(192 * 51_840_000L, l.SpeedBps));
        Assert.Equal(11, TopologyAssertions.Reachable(topology).Count);
    }

    [Fact]
    public void Reimporting_the_same_file_gives_the_same_ids_and_another_source_different_ones()
    {
        var text = ShippedTopologies.Load("Geant2012");

        var first = Import(text, "Geant2012").Topology;
        var again = Import(text, "Geant2012").Topology;
        var other = Import(text, "Geant2012-copy").Topology;

        Assert.Equal(TopologyAssertions.Fingerprint(first), TopologyAssertions.Fingerprint(again));
        Assert.Empty(first.Devices.Select(d => d.ChassisId).Intersect(other.Devices.Select(d => d.ChassisId)));
        Assert.Equal(2 * first.Devices.Length, first.Merge(Rename(other)).Devices.Length);
    }

    [Fact]
    public void An_error_at_the_end_of_the_file_imports_nothing()
    {
        var text = ShippedTopologies.Load("Abilene");
        var broken = text[..text.LastIndexOf(']')] + "  edge [\n    source 0\n    target 99\n  ]\n]\n";
        var badLine = broken.Split('\n').ToList().FindIndex(l => l.Contains("target 99", StringComparison.Ordinal)) + 1;

        var error = Assert.Throws<GmlFormatException>(() => Import(broken));

        Assert.Equal(badLine, error.Line);
        Assert.Contains("target 99 is not a node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_edges_become_parallel_links_and_are_reported()
    {
        var import = Import("""
            graph [
              node [ id 0 label "A" ]
              node [ id 1 label "B" ]
              edge [ source 0 target 1 ]
              edge [ source 1 target 0 ]
            ]
            """);

        Assert.Equal(2, import.Topology.Links.Length);
        Assert.Equal(2, import.Report.EdgesImported);
        Assert.Equal(2, import.Topology.Links.Select(l => l.AInterface).Distinct().Count());
        var note = Assert.Single(import.Report.Skipped);
        Assert.Contains("line 5 duplicates the edge between 'b' and 'a' at line 4", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_loops_are_skipped_and_reported()
    {
        var import = Import("""
            graph [
              node [ id 0 label "A" ]
              node [ id 1 label "B" ]
              edge [ source 0 target 0 ]
              edge [ source 0 target 1 ]
            ]
            """);

        Assert.Single(import.Topology.Links);
        Assert.Equal(1, import.Report.EdgesImported);
        Assert.Contains("line 4: self-loop on node 0 ('a') skipped", Assert.Single(import.Report.Skipped), StringComparison.Ordinal);
    }

    [Fact]
    public void Hyperedge_nodes_become_a_virtual_switch_joining_their_neighbours()
    {
        var import = Import("""
            graph [
              node [ id 0 label "A" ]
              node [ id 1 label "B" ]
              node [ id 2 label "C" ]
              node [ id 7 label "None" hyperedge 1 ]
              edge [ source 7 target 0 ]
              edge [ source 7 target 1 ]
              edge [ source 2 target 7 ]
            ]
            """);

        var junction = import.Topology.FindDevice("junction-7");
        Assert.NotNull(junction);
        Assert.Equal("distribution", junction.Role);
        Assert.Equal(3, import.Topology.LinksOf("junction-7").Count);
        Assert.Equal(4, TopologyAssertions.Reachable(import.Topology).Count);
        Assert.Contains("hyperedge joining 3 node(s); imported as virtual switch 'junction-7'", Assert.Single(import.Report.Skipped), StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_without_coordinates_or_labels_import()
    {
        var import = Import("""
            graph [
              node [ id 0 label "Yerevan" Latitude 40.18 Longitude 44.51 ]
              node [ id 1 label "Gyumri" ]
              node [ id 2 ]
              node [ id 3 label "None" ]
              node [ id 4 label "?" Latitude 10 ]
              edge [ source 0 target 1 ]
            ]
            """);

        var names = import.Topology.Devices.Select(d => d.Name);
        Assert.Equal(["yerevan", "gyumri", "node-2", "node-3", "node-4"], names);
        Assert.Equal(40.18, import.Topology.FindDevice("yerevan")!.Latitude);
        Assert.Null(import.Topology.FindDevice("gyumri")!.Latitude);
        Assert.Null(import.Topology.FindDevice("node-4")!.Latitude);
        Assert.Equal(5, import.Report.NodesImported);
        Assert.Empty(import.Report.Skipped);
    }

    [Fact]
    public void Duplicate_labels_get_numeric_suffixes_and_a_note()
    {
        var import = Import("""
            graph [
              node [ id 0 label "Washington, DC" ]
              node [ id 1 label "Washington DC" ]
              node [ id 2 label "washington-dc" ]
              node [ id 3 label "Washington DC 2" ]
            ]
            """);

        Assert.Equal(["washington-dc", "washington-dc-2", "washington-dc-3", "washington-dc-2-2"], import.Topology.Devices.Select(d => d.Name));
        Assert.Equal(3, import.Report.Skipped.Length);
        Assert.Contains("node 1 (line 3): name 'washington-dc' is already taken; named 'washington-dc-2'", import.Report.Skipped);
    }

    [Theory]
    [InlineData("LinkSpeedRaw 2500000000.0 LinkSpeed \"1\" LinkSpeedUnits \"G\"", 2_500_000_000L)]
    [InlineData("LinkSpeed \"155\" LinkSpeedUnits \"M\"", 155_000_000L)]
    [InlineData("LinkSpeed \"64\" LinkSpeedUnits \"K\"", 64_000L)]
    [InlineData("LinkLabel \"OC192/STM64\"", 192 * 51_840_000L)]
    [InlineData("LinkLabel \"STM-16\"", 16 * 155_520_000L)]
    [InlineData("LinkLabel \"Peering, 1 Gbps\"", 1_000_000_000L)]
    [InlineData("LinkLabel \"2.5 Gbit/s\"", 2_500_000_000L)]
    [InlineData("LinkLabel \"Dark Fibre\"", 10_000_000_000L)]
    [InlineData("", 10_000_000_000L)]
    public void Link_speed_comes_from_the_file_or_defaults_to_10G(string attributes, long expected)
    {
        var import = Import($"graph [ node [ id 0 ] node [ id 1 ] edge [ source 0 target 1 {attributes} ] ]");

        var link = Assert.Single(import.Topology.Links);
        Assert.Equal(expected, link.SpeedBps);
        Assert.Equal(expected, import.Topology.FindDevice("node-0")!.Interfaces.Single(i => i.Name == link.AInterface).SpeedBps);
    }

    [Fact]
    public void Devices_get_management_ports_spares_and_valid_addresses()
    {
        var topology = Import(ShippedTopologies.Load("AsnetAm"), "AsnetAm").Topology;

        var macs = topology.Devices.SelectMany(d => d.Interfaces.Select(i => i.Mac)).Concat(topology.Devices.Select(d => d.ChassisId)).ToList();
        Assert.Equal(macs.Count, macs.Distinct().Count());
        Assert.All(macs, m => Assert.Matches("^02(:[0-9a-f]{2}){5}$", m));
        Assert.All(topology.Devices, d => Assert.True(d.Interfaces.Length >= topology.LinksOf(d.Name).Count + 3));
        Assert.All(topology.Devices, d => Assert.StartsWith("10.", d.ManagementAddress, StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_odd_topology_exercises_hyperedges_and_duplicates()
    {
        var import = Import(ShippedTopologies.Load("AsnetAm"), "AsnetAm");

        Assert.Contains(import.Report.Skipped, n => n.Contains("hyperedge", StringComparison.Ordinal));
        Assert.Contains(import.Report.Skipped, n => n.Contains("parallel link", StringComparison.Ordinal));
        Assert.Contains(import.Topology.Devices, d => d.Latitude is null);
        Assert.Equal(65, import.Report.NodesImported);
        Assert.Equal(79, import.Report.EdgesImported);
    }

    private static SimulatedTopology Rename(SimulatedTopology topology) => new(
        topology.Devices.Select(d => d with { Name = "copy-" + d.Name }),
        topology.Links.Select(l => l with { ADevice = "copy-" + l.ADevice, BDevice = "copy-" + l.BDevice }));
}
