using System.Net;

namespace Pdsno.EndToEndTests.Transport;

[Collection(TransportTests.Name)]
public sealed class GraphiQLTests(TransportHost host)
{
    [Fact]
    public async Task Browser_get_without_query_gets_the_graphiql_page_wired_to_the_endpoint()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.GraphQLUri);
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("/graphql/ide/graphiql.min.js", html, StringComparison.Ordinal);
        Assert.Contains("/graphql/ide/graphiql.min.css", html, StringComparison.Ordinal);
        Assert.Contains("/graphql/ide/react.production.min.js", html, StringComparison.Ordinal);
        Assert.Contains("/graphql/ide/react-dom.production.min.js", html, StringComparison.Ordinal);
        Assert.Contains("subscriptionUrl", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browser_get_with_a_query_still_runs_the_query()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.GraphQLUri + "?query=" + Uri.EscapeDataString("{ hello }"));
        request.Headers.TryAddWithoutValidation("Accept", "text/html, application/json;q=0.9");
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("graphiql.min.js", "text/javascript", "GraphiQL")]
    [InlineData("graphiql.min.css", "text/css", ".graphiql-container")]
    [InlineData("react.production.min.js", "text/javascript", "react.production.min.js")]
    [InlineData("react-dom.production.min.js", "text/javascript", "react-dom.production.min.js")]
    public async Task Ide_assets_are_served_from_the_assembly_with_their_content_type(string file, string contentType, string contains)
    {
        using var response = await host.Http.GetAsync(new Uri(host.GraphQLUri + "/ide/" + file));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 5_000, $"{file} is only {text.Length} characters.");
        Assert.Contains(contains, text, StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(host.GraphQLUri + "/ide/" + file));
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await host.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("unknown.js")]
    [InlineData("..%2Fappsettings.json")]
    public async Task Unknown_ide_files_are_404(string file)
    {
        using var response = await host.Http.GetAsync(new Uri(host.GraphQLUri + "/ide/" + file));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
