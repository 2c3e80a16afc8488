using Pdsno.Abstractions.Security;
using Pdsno.Grains.Security;
using Pdsno.Storage.Security;

namespace Pdsno.UnitTests.Security;

public sealed class TokenTests
{
    [Fact]
    public void Generated_tokens_parse_back_and_carry_256_random_bits()
    {
        var (id, secret) = ApiTokenFormat.Generate();
        var token = ApiTokenFormat.Format(id, secret);
        Assert.StartsWith("pdsno_", token, StringComparison.Ordinal);
        Assert.True(ApiTokenFormat.TryParse(token, out var parsedId, out var parsedSecret));
        Assert.Equal((id, secret), (parsedId, parsedSecret));
        Assert.Equal(64, secret.Length);
        Assert.NotEqual(secret, ApiTokenFormat.Generate().Secret);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("pdsno_")]
    [InlineData("pdsno_0123456789abcdef_0123")]
    [InlineData("pdsno_0123456789ABCDEF_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("pdsno_0123456789abcdef-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("xdsno_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("pdsno_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("pdsno_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    public void Malformed_tokens_do_not_parse(string? token) =>
        Assert.False(ApiTokenFormat.TryParse(token, out _, out _));

    [Fact]
    public void Roles_parse_by_name_and_admin_implies_operating_but_never_approving()
    {
        Assert.Equal(Roles.Viewer | Roles.RegionApprover, RoleNames.Parse(["viewer", " Region-Approver "]));
        var error = Assert.Throws<FormatException>(() => RoleNames.Parse(["root"]));
        Assert.Contains("unknown role 'root'", error.Message, StringComparison.Ordinal);

        var admin = new Caller("t", "0000000000000000", "a", Roles.Admin, []);
        Assert.True(admin.Has(Roles.Operator) && admin.Has(Roles.Viewer));
        Assert.False(admin.Has(Roles.GlobalApprover) || admin.Has(Roles.RegionApprover));
        var approver = new Caller("t", "0000000000000000", "g", Roles.GlobalApprover, []);
        Assert.True(approver.Has(Roles.Viewer));
        Assert.False(approver.Has(Roles.Operator));
    }

    [Fact]
    public void Token_requests_are_checked_field_by_field()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Empty(TokenIssuer.Problems(new TokenSpec("ci", Roles.Viewer, ["north"], now.AddDays(1)), now));
        var problems = TokenIssuer.Problems(new TokenSpec(" ", Roles.None, ["a/b", ""], now.AddSeconds(-1)), now);
        Assert.Contains(problems, p => p.StartsWith("name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("roles", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'a/b'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("expiresAt", StringComparison.Ordinal));
        Assert.Contains(TokenIssuer.Problems(new TokenSpec(new string('x', 101), Roles.Viewer, [], null), now), p => p.StartsWith("name", StringComparison.Ordinal));
    }

    [Fact]
    public void A_configured_key_must_be_base64_of_at_least_32_bytes()
    {
        Assert.Equal(32, TokenKeyring.ParseConfiguredKey(Convert.ToBase64String(new byte[32]), "Security:TokenKey").Length);
        Assert.Contains("Security:TokenKey", Assert.Throws<ArgumentException>(() => TokenKeyring.ParseConfiguredKey("not base64!", "Security:TokenKey")).Message, StringComparison.Ordinal);
        Assert.Contains("at least 32", Assert.Throws<ArgumentException>(() => TokenKeyring.ParseConfiguredKey(Convert.ToBase64String(new byte[16]), "Security:TokenKey")).Message, StringComparison.Ordinal);
    }
}
