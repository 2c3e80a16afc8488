using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

public class ShippedTopologiesTests
{
    [Fact]
    public void Ships_abilene_geant_and_asnet()
    {
        Assert.Equal(["Abilene", "AsnetAm", "Geant2012"], ShippedTopologies.Names.AsEnumerable());
    }

    [Fact]
    public void Loads_each_shipped_topology_by_name_ignoring_case()
    {
        foreach (var name in ShippedTopologies.Names)
        {
            Assert.NotEmpty(GmlParser.Parse(ShippedTopologies.Load(name)).Nodes);
        }

        Assert.Equal(ShippedTopologies.Load("Abilene"), ShippedTopologies.Load("abilene"));
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ShippedTopologies.Load("Arpanet"));

        Assert.Contains("Arpanet", error.Message, StringComparison.Ordinal);
        Assert.Contains("Abilene, AsnetAm, Geant2012", error.Message, StringComparison.Ordinal);
    }
}
