using System.Text;
using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

public class ImportLimitsTests
{
    private const int SharedLabelNodes = 40_000;

    private static string SharedLabelGml(int nodes)
    {
        var text = new StringBuilder("graph [\n");
        for (var i = 0; i < nodes; i++)
        {
            text.Append("node [ id ").Append(i).Append(" label \"x\" ]\n");
        }

        return text.Append(']').ToString();
    }

    [Fact]
    public async Task Forty_thousand_nodes_sharing_a_label_import_in_linear_work()
    {
        var gml = SharedLabelGml(SharedLabelNodes);

        // A hang guard, not a timing: the quadratic renaming took minutes on this input, the linear one well under a second.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await Task.Run(() => TopologyZooImporter.Import(gml, "r1", "flood", int.MaxValue, 0, guard.Token));

        var devices = result.Topology.Devices;
        Assert.Equal(SharedLabelNodes, devices.Length);
        Assert.Equal("x", devices[0].Name);
        Assert.Equal("x-2", devices[1].Name);
        Assert.Equal($"x-{SharedLabelNodes}", devices[^1].Name);
        Assert.Equal(SharedLabelNodes - 1, result.Report.Skipped.Count(n => n.Contains("is already taken", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_label_that_looks_like_a_renamed_twin_is_skipped_over()
    {
        var gml = "graph [ node [ id 1 label \"a\" ] node [ id 2 label \"a-2\" ] node [ id 3 label \"a\" ] node [ id 4 label \"a\" ] ]";

        var names = TopologyZooImporter.Import(gml, "r1", "twins").Topology.Devices.Select(d => d.Name);

        Assert.Equal(["a", "a-2", "a-3", "a-4"], names);
    }

    [Fact]
    public void More_nodes_than_the_cap_are_refused_naming_the_limit()
    {
        var gml = SharedLabelGml(10_001);

        var error = Assert.Throws<ImportLimitException>(() => TopologyZooImporter.Import(gml, "r1", "big", 10_000, 0, CancellationToken.None));

        Assert.Contains("more than 10000 nodes", error.Message, StringComparison.Ordinal);
        Assert.Equal(10_000, TopologyZooImporter.Import(SharedLabelGml(10_000), "r1", "fits", 10_000, 0, CancellationToken.None).Topology.Devices.Length);
    }

    [Fact]
    public void A_cancelled_import_stops()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => TopologyZooImporter.Import(SharedLabelGml(100), "r1", "stop", int.MaxValue, 0, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => GmlParser.Parse(SharedLabelGml(100), int.MaxValue, cancelled.Token));
    }
}
