using System.Text;
using Pdsno.Security;

namespace Pdsno.UnitTests.Security;

/// <summary>One reading of an Authorization value, for HTTP headers and WebSocket connection_init payloads alike.</summary>
public sealed class PresentedTokenTests
{
    private const string Token = "pdsno_0123456789abcdef_" + "ab";

    [Theory]
    [InlineData("Bearer " + Token)]
    [InlineData("bearer   " + Token + " ")]
    [InlineData(Token)]
    public void Bearer_and_bare_tokens_are_read(string value) =>
        Assert.Equal(Token, ApiTokenAuthenticationHandler.PresentedToken(value));

    [Fact]
    public void Basic_carries_the_token_as_its_password()
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + Token));

        Assert.Equal(Token, ApiTokenAuthenticationHandler.PresentedToken(basic));
    }

    [Fact]
    public void An_empty_value_presents_nothing() =>
        Assert.Null(ApiTokenAuthenticationHandler.PresentedToken("  "));
}
