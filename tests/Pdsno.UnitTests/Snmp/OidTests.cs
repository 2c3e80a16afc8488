using Pdsno.Discovery.Snmp;

namespace Pdsno.UnitTests.Snmp;

public class OidTests
{
    [Fact]
    public void Parse_accepts_the_leading_dot_net_snmp_prints()
    {
        Assert.Equal(Oid.Parse("1.3.6.1.2.1.1.1.0"), Oid.Parse(".1.3.6.1.2.1.1.1.0"));
        Assert.Equal("1.3.6.1.2.1.1.1.0", Oid.Parse(".1.3.6.1.2.1.1.1.0").ToString());
        Assert.Equal(9, Oid.Parse("1.3.6.1.2.1.1.1.0").Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1..3")]
    [InlineData("1.3.x")]
    [InlineData("3.1")]
    [InlineData("1.40")]
    [InlineData("1.3.-1")]
    [InlineData("1.3.4294967296")]
    public void Parse_rejects_what_cannot_be_an_oid(string text)
    {
        Assert.False(Oid.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Oid.Parse(text));
    }

    [Fact]
    public void Oids_order_arc_by_arc_not_as_text()
    {
        string[] unordered = ["1.3.6.1.2.1.2.2.1.10.10", "1.3.6.1.2.1.2.2.1.10.9", "1.3.6.1.2.1.2.2.1.10", "1.3.6.1.2.1.2.2.1.2.1"];
        var oids = unordered
            .Select(Oid.Parse)
            .Order()
            .Select(o => o.ToString());

        Assert.Equal(["1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1.10", "1.3.6.1.2.1.2.2.1.10.9", "1.3.6.1.2.1.2.2.1.10.10"], oids);
        Assert.True(Oid.Parse("1.3.6.1.2.1.2.2.1.2.1") < Oid.Parse("1.3.6.1.2.1.2.2.1.10"));
    }

    [Fact]
    public void Prefix_tests_read_in_both_directions()
    {
        var ifTable = Oid.Parse("1.3.6.1.2.1.2.2");
        var ifDescr1 = Oid.Parse("1.3.6.1.2.1.2.2.1.2.1");

        Assert.True(ifTable.IsPrefixOf(ifDescr1));
        Assert.True(ifDescr1.StartsWith(ifTable));
        Assert.True(ifTable.IsPrefixOf(ifTable));
        Assert.False(ifDescr1.IsPrefixOf(ifTable));
        Assert.False(Oid.Parse("1.3.6.1.2.1.2.22").StartsWith(ifTable));
    }

    [Fact]
    public void Append_builds_table_instances_and_equal_oids_hash_alike()
    {
        var instance = Oid.Parse("1.3.6.1.2.1.31.1.1.1.6").Append(42);
        Assert.Equal(Oid.Parse("1.3.6.1.2.1.31.1.1.1.6.42"), instance);
        Assert.Equal(Oid.Parse("1.3.6.1.2.1.31.1.1.1.6.42").GetHashCode(), instance.GetHashCode());
        Assert.NotEqual(instance, Oid.Parse("1.3.6.1.2.1.31.1.1.1.6"));
        Assert.True(default(Oid).IsEmpty);
    }
}
