using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Transport;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Live;

namespace Pdsno.EndToEndTests.Live;

public sealed class SharedEventResultsTests
{
    private const string Document = "subscription { topologyChanged { sequence type region } }";
    private static readonly GraphQLSerializer Serializer = new();

    private static Caller Viewer(string tenant = "t", params string[] regions) => new(tenant, "token-" + Guid.NewGuid(), "viewer", Roles.Viewer, [.. regions]);

    private static GraphQLRequest Request(string query = Document, Dictionary<string, object?>? variables = null) =>
        new() { Query = query, Variables = variables is null ? null : new Inputs(variables) };

    [Fact]
    public void Callers_who_see_the_same_share_a_group_whatever_their_token_and_the_order_of_their_regions()
    {
        Assert.Equal(
            SharedEventResults.Group(Viewer("t", "r1", "r2"), Request(), Serializer),
            SharedEventResults.Group(Viewer("t", "r2", "r1"), Request(), Serializer));
    }

    [Fact]
    public void Another_scope_role_tenant_document_or_variable_is_another_group()
    {
        var group = SharedEventResults.Group(Viewer("t", "r1"), Request(variables: new() { ["since"] = 1 }), Serializer);
        Assert.NotEqual(group, SharedEventResults.Group(Viewer("t", "r2"), Request(variables: new() { ["since"] = 1 }), Serializer));
        Assert.NotEqual(group, SharedEventResults.Group(Viewer("t"), Request(variables: new() { ["since"] = 1 }), Serializer));
        Assert.NotEqual(group, SharedEventResults.Group(Viewer("u", "r1"), Request(variables: new() { ["since"] = 1 }), Serializer));
        Assert.NotEqual(group, SharedEventResults.Group(Viewer("t", "r1") with { Roles = Roles.Admin }, Request(variables: new() { ["since"] = 1 }), Serializer));
        Assert.NotEqual(group, SharedEventResults.Group(Viewer("t", "r1"), Request(variables: new() { ["since"] = 2 }), Serializer));
        Assert.NotEqual(group, SharedEventResults.Group(Viewer("t", "r1"), Request("subscription { topologyChanged { sequence } }", new() { ["since"] = 1 }), Serializer));
    }

    [Fact]
    public async Task An_event_is_executed_once_per_group_and_every_subscriber_of_the_group_gets_that_result()
    {
        var results = new SharedEventResults();
        var executions = 0;
        var release = new TaskCompletionSource();
        async ValueTask<ExecutionResult> Execute()
        {
            Interlocked.Increment(ref executions);
            await release.Task;
            return new ExecutionResult { Executed = true };
        }

        var waiting = Enumerable.Range(0, 50).Select(_ => results.GetOrExecuteAsync("g", 7, Execute)).ToList();
        var otherGroup = results.GetOrExecuteAsync("h", 7, Execute);
        var otherEvent = results.GetOrExecuteAsync("g", 8, Execute);
        release.SetResult();
        var received = await Task.WhenAll(waiting);

        Assert.Equal(3, executions);
        Assert.All(received, r => Assert.Same(received[0], r));
        Assert.IsType<SharedExecutionResult>(received[0]);
        Assert.NotSame(received[0], await otherGroup);
        Assert.NotSame(received[0], await otherEvent);
    }

    [Fact]
    public async Task A_result_with_errors_is_not_shared_so_each_subscriber_runs_its_own()
    {
        var results = new SharedEventResults();
        var release = new TaskCompletionSource();
        var failed = new ExecutionResult { Executed = true, Errors = [new ExecutionError("the first subscriber's own failure")] };
        var first = results.GetOrExecuteAsync("g", 1, async () =>
        {
            await release.Task;
            return failed;
        });
        var second = results.GetOrExecuteAsync("g", 1, () => throw new InvalidOperationException("the second waits for the first"));
        release.SetResult();

        Assert.Same(failed, await first);
        Assert.Null(await second);
        var fresh = new ExecutionResult { Executed = true };
        Assert.IsType<SharedExecutionResult>(await results.GetOrExecuteAsync("g", 1, () => ValueTask.FromResult(fresh)));
    }

    [Fact]
    public void A_shared_result_is_serialized_once()
    {
        var shared = new SharedExecutionResult(new ExecutionResult { Executed = true });
        var calls = 0;
        byte[] Serialize(ExecutionResult r)
        {
            calls++;
            return System.Text.Encoding.UTF8.GetBytes(Serializer.Serialize(r));
        }

        var first = shared.Utf8(Serialize);
        Assert.Same(first, shared.Utf8(Serialize));
        Assert.Equal(1, calls);
    }
}
