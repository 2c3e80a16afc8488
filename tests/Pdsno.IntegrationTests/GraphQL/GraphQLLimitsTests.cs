using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Limits;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.GraphQL;

[Collection(PostgresGroup.Name)]
public sealed partial class GraphQLLimitsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_query_deeper_than_the_maximum_is_refused_saying_by_how_much()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres);
        var before = host.Statements.Count;
        // device > (neighbors > device) x 6 > name: 14 levels of fields.
        var nested = string.Concat(Enumerable.Repeat("neighbors { device { ", 6)) + "name" + string.Concat(Enumerable.Repeat(" } }", 6));
        var response = await host.ExecuteAsync("{ device(id: \"c000000000001\") { " + nested + " } }");
        var error = response.SingleError();
        Assert.Equal("LIMIT_EXCEEDED", error.Code());
        var match = DepthMessage().Match(error.Message());
        Assert.True(match.Success, error.Message());
        Assert.Equal(int.Parse(match.Groups[1].Value) - 12, int.Parse(match.Groups[2].Value));
        Assert.Equal(before, host.Statements.Count);
    }

    [Fact]
    public async Task The_full_introspection_query_of_graphql_tools_is_not_refused_for_depth()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres);
        // The shape GraphiQL and code generators send: __schema, then TypeRef nesting eight levels deep.
        var typeRef = "kind name " + string.Concat(Enumerable.Repeat("ofType { kind name ", 7)) + string.Concat(Enumerable.Repeat("}", 7));
        var response = await host.ExecuteAsync("{ __schema { queryType { name } types { kind name fields(includeDeprecated: true) { name args { name type { " + typeRef + " } } type { " + typeRef + " } } } } }");
        Assert.False(response.TryGetProperty("errors", out _), response.ToString());
        Assert.True(response.GetProperty("data").GetProperty("__schema").GetProperty("types").GetArrayLength() > 10);

        // Introspection still has limits: nesting fields inside types inside fields explodes.
        var explosive = "{ __schema { types { " + string.Concat(Enumerable.Repeat("fields { type { ", 6)) + "name" + string.Concat(Enumerable.Repeat(" } }", 6)) + " } } }";
        Assert.Equal("LIMIT_EXCEEDED", (await host.ExecuteAsync(explosive)).SingleError().Code());
    }

    [Fact]
    public async Task A_query_costlier_than_the_maximum_is_refused_saying_by_how_much()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres);
        var response = await host.ExecuteAsync("""
            { devices(first: 500) { edges { node { neighbors { device { neighbors { device { name } } } } } } } }
            """);
        var error = response.SingleError();
        Assert.Equal("LIMIT_EXCEEDED", error.Code());
        var match = CostMessage().Match(error.Message());
        Assert.True(match.Success, error.Message());
        Assert.Equal(long.Parse(match.Groups[1].Value) - 5000, long.Parse(match.Groups[2].Value));
    }

    [Fact]
    public async Task Page_sizes_are_checked()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres);
        var over = (await host.ExecuteAsync("{ devices(first: 501) { totalCount } }")).SingleError();
        Assert.Equal("LIMIT_EXCEEDED", over.Code());
        Assert.Equal("first 501 exceeds the maximum page size 500 by 1", over.Message());

        var negative = (await host.ExecuteAsync("{ links(last: -2) { totalCount } }")).SingleError();
        Assert.Equal("BAD_USER_INPUT", negative.Code());
        Assert.Contains("last must not be negative", negative.Message(), StringComparison.Ordinal);

        var both = (await host.ExecuteAsync("{ regions(first: 1, last: 1) { totalCount } }")).SingleError();
        Assert.Equal("BAD_USER_INPUT", both.Code());

        var badCursor = (await host.ExecuteAsync("{ devices(after: \"bm90IGEgY3Vyc29y\") { totalCount } }")).SingleError();
        Assert.Equal("BAD_USER_INPUT", badCursor.Code());
    }

    [Theory]
    [InlineData("after", "abc")]
    [InlineData("before", "12x")]
    [InlineData("after", "-1")]
    [InlineData("after", "99999999999999999999999")]
    public async Task An_event_cursor_whose_key_is_not_a_sequence_is_bad_input_naming_the_argument(string argument, string key)
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres);
        var cursor = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("cursor:event:" + key));
        var error = (await host.ExecuteAsync($"{{ events({argument}: \"{cursor}\") {{ edges {{ cursor }} }} }}")).SingleError();
        Assert.Equal("BAD_USER_INPUT", error.Code());
        Assert.Equal($"{argument} '{cursor}' is not a cursor of this list", error.Message());

        // A real event cursor still pages.
        var first = (await host.ExecuteAsync("{ events(first: 2) { pageInfo { endCursor } } }")).Data("events", "pageInfo", "endCursor").GetString();
        Assert.Equal(2, (await host.ExecuteAsync($"{{ events(first: 2, after: \"{first}\") {{ edges {{ node {{ sequence }} }} }} }}")).Data("events", "edges").GetArrayLength());
    }

    [Fact]
    public async Task Limits_come_from_configuration_and_a_slow_request_times_out()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["GraphQL:Limits:MaxPageSize"] = "20",
            ["GraphQL:Limits:DefaultPageSize"] = "10",
        });
        Assert.Equal(10, (await host.ExecuteAsync("{ devices { edges { cursor } } }")).Data("devices", "edges").GetArrayLength());
        var error = (await host.ExecuteAsync("{ devices(first: 100) { edges { node { interfaces { name } neighbors { device { name } } } } } }")).SingleError();
        Assert.Equal("LIMIT_EXCEEDED", error.Code());
        Assert.StartsWith("first 100 exceeds the maximum page size 20 by 80", error.Message(), StringComparison.Ordinal);

        await using var slow = await GraphQLTestHost.StartAsync(postgres, new Dictionary<string, string?> { ["GraphQL:Limits:ExecutionTimeout"] = "00:00:00.001" });
        var timeout = (await slow.ExecuteAsync("{ devices(first: 20) { totalCount edges { node { interfaces { name } neighbors { device { name } } } } } }")).SingleError();
        Assert.Equal("LIMIT_EXCEEDED", timeout.Code());
        Assert.StartsWith("execution time exceeds the maximum 1 ms by", timeout.Message(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_with_more_aliases_than_the_maximum_is_refused_naming_the_limit()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres);
        static string Aliased(int count) => "{ " + string.Concat(Enumerable.Range(0, count).Select(i => $"a{i}: regions(first: 1) {{ totalCount }} ")) + "}";
        var before = host.Statements.Count;
        var error = (await host.ExecuteAsync(Aliased(31))).SingleError();
        Assert.Equal("LIMIT_EXCEEDED", error.Code());
        Assert.Equal("the document has 31 aliases, which exceeds the maximum 30 (GraphQL:Limits:MaxAliases) by 1", error.Message());
        Assert.Equal(before, host.Statements.Count);

        Assert.Equal(3, (await host.ExecuteAsync(Aliased(30))).Data("a29", "totalCount").GetInt32());

        // Aliases inside fragments count too, and the limit comes from configuration.
        await using var strict = await GraphQLTestHost.StartAsync(postgres, new Dictionary<string, string?> { ["GraphQL:Limits:MaxAliases"] = "2" });
        var inFragment = (await strict.ExecuteAsync("{ a: regions(first: 1) { ...R } } fragment R on RegionConnection { b: totalCount c: totalCount }")).SingleError();
        Assert.Equal("the document has 3 aliases, which exceeds the maximum 2 (GraphQL:Limits:MaxAliases) by 1", inFragment.Message());
    }

    [Theory]
    [InlineData("topology(regionId: \"north\") { nodes { key } edges { key } }")]
    [InlineData("path(from: \"c000000000001\", to: \"c000000000005\") { hopCount }")]
    public async Task Topology_and_path_cost_what_they_read_so_aliasing_them_exceeds_the_cost(string field)
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres);
        Assert.False((await host.ExecuteAsync("{ " + field + " }")).TryGetProperty("errors", out var errors), errors.ToString());

        var before = host.Statements.Count;
        var error = (await host.ExecuteAsync("{ " + string.Concat(Enumerable.Range(0, 11).Select(i => $"a{i}: {field} ")) + "}")).SingleError();
        Assert.Equal("LIMIT_EXCEEDED", error.Code());
        var match = CostMessage().Match(error.Message());
        Assert.True(match.Success, error.Message());
        Assert.True(long.Parse(match.Groups[1].Value) >= 5500, error.Message());
        Assert.Equal(before, host.Statements.Count);
    }

    [Fact]
    public async Task A_total_count_costs_a_count_query()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres, new Dictionary<string, string?> { ["GraphQL:Limits:MaxComplexity"] = "120" });
        Assert.Equal(250, (await host.ExecuteAsync("{ a: devices(first: 1) { totalCount } b: links(first: 1) { totalCount } }")).Data("a", "totalCount").GetInt32());
        var error = (await host.ExecuteAsync("{ a: devices(first: 1) { totalCount } b: links(first: 1) { totalCount } c: events(first: 1) { totalCount } }")).SingleError();
        Assert.Equal("LIMIT_EXCEEDED", error.Code());
        Assert.StartsWith("query cost 153 exceeds the maximum 120 by 33", error.Message(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unusable_limits_fail_at_start_naming_the_key()
    {
        await using var host = await GraphQLTestHost.StartAsync(postgres, new Dictionary<string, string?> { ["GraphQL:Limits:MaxDepth"] = "0" });
        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<GraphQLLimitsOptions>>().Value);
        Assert.Contains("GraphQL:Limits:MaxDepth must be at least 1", failure.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^query depth (\d+) exceeds the maximum 12 by (\d+)$")]
    private static partial Regex DepthMessage();

    [GeneratedRegex(@"^query cost (\d+) exceeds the maximum 5000 by (\d+)")]
    private static partial Regex CostMessage();
}
