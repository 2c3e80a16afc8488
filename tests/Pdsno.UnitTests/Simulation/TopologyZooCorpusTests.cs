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
}
