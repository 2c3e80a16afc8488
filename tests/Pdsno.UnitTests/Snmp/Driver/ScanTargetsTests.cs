using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.UnitTests.Snmp.Driver;

public sealed class ScanTargetsTests
{
    [Fact]
    public void Addresses_ranges_and_cidrs_expand_to_distinct_endpoints()
    {
        var targets = ScanTargets.Expand(["100.64.0.10-13", "100.64.0.12", "127.0.0.1:16161", "192.0.2.0/30", "198.51.100.7/32"], 161, 100);

        Assert.Empty(targets.Problems);
        Assert.Equal(
            ["100.64.0.10:161", "100.64.0.11:161", "100.64.0.12:161", "100.64.0.13:161", "127.0.0.1:16161", "192.0.2.1:161", "192.0.2.2:161", "198.51.100.7:161"],
            targets.EndPoints.Select(e => e.ToString()));
    }

    [Fact]
    public void A_cidr_skips_network_and_broadcast_and_a_full_range_form_works()
    {
        Assert.Equal(14, ScanTargets.Expand(["100.64.0.0/28"], 161, 4096).EndPoints.Count);
        Assert.Equal(2, ScanTargets.Expand(["10.0.0.0/31"], 161, 4096).EndPoints.Count);
        Assert.Equal(258, ScanTargets.Expand(["10.0.0.255-10.0.2.0"], 161, 4096).EndPoints.Count);
    }

    [Fact]
    public void The_cap_bounds_a_huge_range_without_expanding_it_and_says_so()
    {
        var targets = ScanTargets.Expand(["10.0.0.0/8"], SnmpTarget.DefaultPort, 4096);

        Assert.Equal(4096, targets.EndPoints.Count);
        Assert.Contains("4096", Assert.Single(targets.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host.example")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.9-3")]
    [InlineData("10.0.0.1:0")]
    [InlineData("10.0.0.1:70000")]
    [InlineData("::1")]
    [InlineData("")]
    public void Bad_entries_are_reported_by_text_and_the_good_ones_kept(string bad)
    {
        var targets = ScanTargets.Expand([bad, "10.0.0.1"], 161, 10);

        Assert.Equal(["10.0.0.1:161"], targets.EndPoints.Select(e => e.ToString()));
        var problem = Assert.Single(targets.Problems);
        Assert.Contains(bad.Length > 0 ? bad : "empty", problem, StringComparison.Ordinal);
    }
}
