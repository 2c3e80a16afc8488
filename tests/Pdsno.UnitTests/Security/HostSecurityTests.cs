using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Security;
using Pdsno.Security;

namespace Pdsno.UnitTests.Security;

/// <summary>The host's policies and per-address grouping, without a host.</summary>
public sealed class HostSecurityTests
{
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void Clients_are_limited_per_IPv4_address_and_per_IPv6_64_bit_prefix(string address, string partition) =>
        Assert.Equal(partition, ClientAddress.PartitionOf(IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.0.0.0/8", "10.200.1.1", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    [InlineData("fd00::/8", "fd12::1", true)]
    [InlineData(" 172.16.0.0/12 ", "172.31.255.255", true)]
    public void Trusted_proxies_are_addresses_or_CIDR_ranges(string proxy, string client, bool trusted)
    {
        Assert.True(ClientAddress.TryParseProxy(proxy, out var network));
        Assert.Equal(trusted, network.Contains(IPAddress.Parse(client)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("proxy.example")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.1.2.3/8")]
    public void A_proxy_that_is_neither_is_refused_at_start_naming_the_key(string proxy)
    {
        var options = new SecurityOptions();
        options.TrustedProxies.Add("127.0.0.1");
        options.TrustedProxies.Add(proxy);
        Assert.Contains(options.Problems(), p => p.StartsWith("Security:TrustedProxies:1 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("default", Roles.Admin, null, true)]
    [InlineData("other", Roles.Admin, null, false)]
    [InlineData("default", Roles.Admin, "region-1", false)]
    [InlineData("default", Roles.Operator, null, false)]
    public async Task Only_unscoped_admins_of_the_provider_tenant_pass_the_provider_admin_policy(string tenant, Roles roles, string? region, bool allowed)
    {
        var caller = new Caller(tenant, "0000000000000001", "t", roles, region is null ? [] : [region]);
        var requirement = new CallerRequirement(Roles.Admin, AllRegions: true, ProviderTenant: true);
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(new CallerIdentity(caller, "test")), null);
        await new CallerRequirementHandler(Options.Create(new SecurityOptions())).HandleAsync(context);
        Assert.Equal(allowed, context.HasSucceeded);
        Assert.Equal(!allowed, context.FailureReasons.Any());
    }
}
