using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Simulation;

public class GmlParserTests
{
    private const string Small = """
        Creator "test"
        graph [
          directed 0
          label "Tiny &amp; Co"
          # a comment line
          node [
            id 0
            label "A &quot;one&quot;"
            Latitude -33.5
            Longitude 1.5e2
          ]
          node [
            id 1
            label "B"
            extra [ deep [ x 1 ] note "n" ]
          ]
          edge [
            source 0
            target 1
            id "e0"
            LinkSpeed "2.5"
          ]
        ]
        """;

    [Fact]
    public void Parses_graph_attributes_nodes_edges_and_nested_lists()
    {
        var document = GmlParser.Parse(Small);

        Assert.Equal(0L, document.GraphAttributes.Find("directed")!.Value);
        Assert.Equal("Tiny & Co", document.GraphAttributes.GetString("label"));
        Assert.Equal([0L, 1L], document.Nodes.Select(n => n.Id));
        Assert.Equal("A \"one\"", document.Nodes[0].Label);
        Assert.Equal(6, document.Nodes[0].Line);
        Assert.Equal(-33.5, document.Nodes[0].Attributes.Find("Latitude")!.Value);
        Assert.Equal(150.0, document.Nodes[0].Attributes.GetNumber("Longitude"));
        var extra = Assert.IsType<GmlList>(document.Nodes[1].Attributes.Find("extra")!.Value);
        var deep = Assert.IsType<GmlList>(extra.Find("deep")!.Value);
        Assert.Equal(1L, deep.Find("x")!.Value);
        var edge = Assert.Single(document.Edges);
        Assert.Equal((0L, 1L, 17), (edge.Source, edge.Target, edge.Line));
        Assert.Equal("e0", edge.Attributes.GetString("id"));
        Assert.Equal(2.5, edge.Attributes.GetNumber("LinkSpeed"));
    }

    [Fact]
    public void Edges_may_come_before_their_nodes()
    {
        var document = GmlParser.Parse("graph [ edge [ source 2 target 1 ] node [ id 1 ] node [ id 2 ] ]");

        Assert.Equal(2L, Assert.Single(document.Edges).Source);
    }

    [Theory]
    [InlineData("graph [\n  node [\n    id 0\n  ]\n", 1, "never closed")]
    [InlineData("graph [\n  node [\n    id 0\n", 2, "never closed")]
    [InlineData("graph [\n  node [ id 0 ]\n]\n]\n", 4, "without a matching")]
    [InlineData("graph [\n  node [\n    id 0\n    label\n  ]\n]", 4, "key 'label' has no value")]
    [InlineData("graph [\n  node [\n    id 0\n    label\n    Country \"X\"\n  ]\n]", 4, "key 'label' has no value")]
    [InlineData("graph [\n  node [\n    id 0\n    label \"Open\n  ]\n]", 4, "string is not terminated")]
    [InlineData("Creator \"x\"\nnode [ id 0 ]\n", 1, "no 'graph")]
    [InlineData("graph [\n  node [ id 0 ]\n  node [ id 1 ]\n  edge [\n    source 0\n    target 17\n  ]\n]", 6, "edge target 17 is not a node")]
    [InlineData("graph [\n  node [ id 0 ]\n  edge [\n    source 9\n    target 0\n  ]\n]", 4, "edge source 9 is not a node")]
    [InlineData("graph [\n  node [ id 0 ]\n  node [\n    id 0\n  ]\n]", 4, "node id 0 is already used by the node at line 2")]
    [InlineData("graph [\n  node [ id 0 ]\n  node [\n    label \"x\"\n  ]\n]", 3, "node has no id")]
    [InlineData("graph [\n  node [\n    id \"zero\"\n  ]\n]", 3, "node id \"zero\" is not an integer")]
    [InlineData("graph [\n  node [\n    id 1.5\n  ]\n]", 3, "not an integer")]
    [InlineData("graph [\n  node [ id 0 ]\n  edge [\n    target 0\n  ]\n]", 3, "edge has no source")]
    [InlineData("graph [\n  node [ id 0 ]\n  weight 12abc\n]", 3, "malformed number")]
    [InlineData("graph [\n  node [ id 0 ]\n  @oops 1\n]", 3, "expected a key")]
    [InlineData("graph 5\n", 1, "'graph' must be followed by '['")]
    public void Malformed_input_names_the_line(string text, int line, string problem)
    {
        var error = Assert.Throws<GmlFormatException>(() => GmlParser.Parse(text));

        Assert.Equal(line, error.Line);
        Assert.True(error.Column > 0);
        Assert.StartsWith($"line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void Hostile_nesting_is_a_format_error_not_a_crash()
    {
        var text = "graph [ x " + string.Concat(Enumerable.Repeat("[ y ", 10_000));

        Assert.Throws<GmlFormatException>(() => GmlParser.Parse(text));
    }
}
