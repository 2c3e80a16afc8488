using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

public class TopologyZooCorpusTests
{
    [Fact]
    public void Every_topology_zoo_file_parses_and_imports()
    {
        var folder = Path.GetFullPath(Path.Combine(TopologyAssertions.RepositoryRoot(), "..", "shared", "data", "topologyzoo"));

        // The corpus lives beside the repository, where CI provides it; a bare clone has only the shipped files.
        if (!Directory.Exists(folder))
        {
            return;
        }

        var files = Directory.GetFiles(folder, "*.gml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(276, files.Count);
        var failures = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            try
            {
                var text = File.ReadAllText(file);
                var document = GmlParser.Parse(text);
                var import = TopologyZooImporter.Import(text, "zoo", name);
                var selfLoops = document.Edges.Count(e => e.Source == e.Target);
                if (import.Topology.Devices.Length != document.Nodes.Length
                    || import.Topology.Links.Length != document.Edges.Length - selfLoops)
                {
                    failures.Add($"{name}: {document.Nodes.Length} nodes/{document.Edges.Length} edges became "
                        + $"{import.Topology.Devices.Length} devices/{import.Topology.Links.Length} links");
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                failures.Add($"{name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_topology_zoo_file_imports_into_one_tenant_one_region_each()
    {
        var folder = Path.GetFullPath(Path.Combine(TopologyAssertions.RepositoryRoot(), "..", "shared", "data", "topologyzoo"));
        if (!Directory.Exists(folder))
        {
            return;
        }

        // Put part by part as the API does: the rules for the caller and the limits, then the whole network.
        var admin = new Caller("acme", "t1", "admin", Roles.Admin, []);
        var limits = new SimulationLimits();
        var definition = new SimulatedNetworkDefinition(0, []);
        foreach (var file in Directory.GetFiles(folder, "*.gml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file).ToLowerInvariant();
            var part = SimulatedNetworkPart.Imported(name, File.ReadAllText(file), "zoo-" + name);
            Assert.Null(SimulatedNetworkRules.CheckPut(definition, part, admin, limits));
            definition = new SimulatedNetworkDefinition(definition.Version + 1, definition.Parts.Add(part));
        }

        var model = SimulatedNetworkModel.Build(definition);

        Assert.Equal(276, model.Regions.Length);
        Assert.Equal(model.Devices.Length, model.Devices.Select(d => d.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(model.Devices.Length, model.Devices.Select(d => d.ChassisId).Distinct(StringComparer.OrdinalIgnoreCase).Count());

        // The point of the test: many networks share city names, each in its own region.
        Assert.True(model.DevicesNamed("new-york").Count() > 10, "new-york should be in many regions");
    }

    [Fact]
    public void Two_networks_with_the_same_device_name_in_one_region_are_refused_in_our_words()
    {
        var abilene = ShippedTopologies.Load("Abilene");
        var definition = new SimulatedNetworkDefinition(2, [
            SimulatedNetworkPart.Imported("first", abilene, "us"),
            SimulatedNetworkPart.Imported("second", abilene, "us"),
        ]);

        var error = Assert.Throws<ArgumentException>(() => SimulatedNetworkModel.Build(definition));

        Assert.Matches("^region 'us' already has a device named '[a-z-]+' \\(from part 'first'\\)$", error.Message);
        Assert.DoesNotContain("Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_whose_names_share_an_address_salt_get_distinct_chassis_ids_and_the_first_keeps_its_own()
    {
        // Find two part names whose salts collide (15 bits: a few hundred tries).
        var seen = new Dictionary<ulong, string>();
        string? first = null, second = null;
        for (var i = 0; first is null; i++)
        {
            var name = $"net-{i}";
            var salt = TopologyZooImporter.SaltSource(name) & 0x7FFF;
            if (seen.TryGetValue(salt, out var earlier))
            {
                (first, second) = (earlier, name);
            }
            else
            {
                seen[salt] = name;
            }
        }

        var abilene = ShippedTopologies.Load("Abilene");
        var model = SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(2, [
            SimulatedNetworkPart.Imported(first, abilene, "east"),
            SimulatedNetworkPart.Imported(second!, abilene, "west"),
        ]));

        var alone = TopologyZooImporter.Import(abilene, "east", first).Topology;
        Assert.Equal(alone.Devices.Select(d => d.ChassisId), model.DevicesIn("east").Select(d => d.ChassisId));
        Assert.Empty(model.DevicesIn("east").Select(d => d.ChassisId).Intersect(model.DevicesIn("west").Select(d => d.ChassisId)));
    }
}
