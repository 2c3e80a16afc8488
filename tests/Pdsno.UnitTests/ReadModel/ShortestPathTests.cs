using Pdsno.Storage.ReadModel;

namespace Pdsno.UnitTests.ReadModel;

public class ShortestPathTests
{
    private static readonly DateTimeOffset Since = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static LinkRecord Link(string a, string ifA, string b, string ifB) =>
        new($"{a}:{ifA}|{b}:{ifB}", "r1", a, ifA, b, ifB, 1_000_000_000, "UP", Since);

    [Fact]
    public void A_device_reaches_itself_in_one_hop_without_a_link()
    {
        var path = ShortestPath.Find([], "a", "a");

        Assert.NotNull(path);
        Assert.Equal(0, path.LinkCount);
        Assert.Equal(new PathHopRecord("a", null, null), Assert.Single(path.Hops));
    }

    [Fact]
    public void The_path_takes_the_fewest_links_and_names_the_interface_it_leaves_each_device_by()
    {
        var ab = Link("a", "e1", "b", "e1");
        var bc = Link("b", "e2", "c", "e1");
        var ac = Link("a", "e9", "c", "e9");

        var path = ShortestPath.Find([ab, bc, ac], "a", "c");

        Assert.NotNull(path);
        Assert.Equal(1, path.LinkCount);
        Assert.Equal([new PathHopRecord("a", "e9", ac), new PathHopRecord("c", null, null)], path.Hops);
    }

    [Fact]
    public void A_path_walks_links_from_either_end()
    {
        var ba = Link("b", "e1", "a", "e1");
        var cb = Link("c", "e1", "b", "e2");

        var path = ShortestPath.Find([cb, ba], "a", "c");

        Assert.NotNull(path);
        Assert.Equal(["a", "b", "c"], path.Hops.Select(h => h.Device));
        Assert.Equal(["e1", "e2", null], path.Hops.Select(h => h.InterfaceOut));
    }

    [Fact]
    public void Equal_paths_are_decided_by_the_lowest_link_key_whatever_the_input_order()
    {
        var viaB1 = Link("a", "e1", "b", "e1");
        var viaB2 = Link("b", "e2", "d", "e1");
        var viaC1 = Link("a", "e2", "c", "e1");
        var viaC2 = Link("c", "e2", "d", "e2");

        var forward = ShortestPath.Find([viaB1, viaB2, viaC1, viaC2], "a", "d");
        var backward = ShortestPath.Find([viaC2, viaC1, viaB2, viaB1], "a", "d");

        Assert.NotNull(forward);
        Assert.Equal(["a", "b", "d"], forward.Hops.Select(h => h.Device));
        Assert.Equal(forward.Hops, backward!.Hops);
    }

    [Fact]
    public void An_unreachable_device_has_no_path()
    {
        Assert.Null(ShortestPath.Find([Link("a", "e1", "b", "e1"), Link("c", "e1", "d", "e1")], "a", "d"));
    }
}
