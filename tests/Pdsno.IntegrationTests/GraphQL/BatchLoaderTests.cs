using Pdsno.GraphQL.Loading;

namespace Pdsno.IntegrationTests.GraphQL;

public sealed class BatchLoaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_keys_of_one_step_are_fetched_once_and_a_missing_key_gets_the_missing_value()
    {
        var fetches = new List<string[]>();
        var loader = new BatchLoader<string, string?>((keys, _) =>
        {
            fetches.Add([.. keys.Order()]);
            return Task.FromResult<IReadOnlyDictionary<string, string?>>(keys.Where(k => k != "b").ToDictionary(k => k, k => (string?)k.ToUpperInvariant()));
        }, null);

        var a = loader.Load("a");
        var b = loader.Load("b");
        var again = loader.Load("a");
        Assert.Equal("A", await a.GetResultAsync());
        Assert.Null(await b.GetResultAsync());
        Assert.Equal("A", await again.GetResultAsync());
        Assert.Equal([["a", "b"]], fetches);

        // A key asked for after its step's fetch began goes into the next batch; a known key is not fetched again.
        var c = loader.Load("c");
        var a2 = loader.Load("a");
        Assert.Equal("C", await c.GetResultAsync());
        Assert.Equal("A", await a2.GetResultAsync());
        Assert.Equal([["a", "b"], ["c"]], fetches);
    }

    [Fact]
    public async Task Awaiting_one_loader_of_a_group_starts_the_waiting_batches_of_the_others()
    {
        var group = new BatchGroup();
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new BatchLoader<string, int>(async (keys, ct) =>
        {
            // Finishes only once the other loader's fetch is under way: fetched one after the other, this would never end.
            await secondStarted.Task.WaitAsync(Patience, ct);
            return keys.ToDictionary(k => k, k => k.Length);
        }, -1, group);
        var second = new BatchLoader<string, int>((keys, _) =>
        {
            secondStarted.TrySetResult();
            return Task.FromResult<IReadOnlyDictionary<string, int>>(keys.ToDictionary(k => k, k => k.Length * 10));
        }, -1, group);
        var idleFetched = false;
        _ = new BatchLoader<string, int>((_, _) =>
        {
            idleFetched = true;
            return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>());
        }, -1, group);

        var one = first.Load("one");
        var three = second.Load("three");
        Assert.Equal(3, await one.GetResultAsync().WaitAsync(Patience));
        Assert.Equal(50, await three.GetResultAsync().WaitAsync(Patience));
        Assert.False(idleFetched, "a loader of the group without keys was fetched");
    }

    [Fact]
    public async Task Preloaded_keys_are_fetched_at_once_and_later_loads_of_them_cost_no_statement()
    {
        var fetches = new List<string[]>();
        var loader = new BatchLoader<string, int>((keys, _) =>
        {
            lock (fetches)
            {
                fetches.Add([.. keys.Order()]);
            }

            return Task.FromResult<IReadOnlyDictionary<string, int>>(keys.ToDictionary(k => k, k => k.Length));
        }, -1);

        var early = loader.Load("early");
        loader.Preload(["bb", "ccc", "bb", "early"], CancellationToken.None);
        Assert.Equal(3, await loader.Load("ccc").GetResultAsync().WaitAsync(Patience));
        Assert.Equal(2, await loader.Load("bb").GetResultAsync().WaitAsync(Patience));
        Assert.Equal(5, await early.GetResultAsync().WaitAsync(Patience));
        Assert.Equal([["bb", "ccc"], ["early"]], fetches.OrderBy(f => f[0], StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failed_fetch_fails_every_key_of_its_batch()
    {
        var loader = new BatchLoader<string, int>((_, _) => Task.FromException<IReadOnlyDictionary<string, int>>(new InvalidOperationException("database gone")), 0);
        var x = loader.Load("x");
        var y = loader.Load("y");
        Assert.Equal("database gone", (await Assert.ThrowsAsync<InvalidOperationException>(() => x.GetResultAsync())).Message);
        Assert.Equal("database gone", (await Assert.ThrowsAsync<InvalidOperationException>(() => ((global::GraphQL.DataLoader.IDataLoaderResult)y).GetResultAsync())).Message);
    }
}
