using GraphQL;
using Pdsno.GraphQL.Live;

namespace Pdsno.EndToEndTests.Live;

public sealed class SubscriptionGroupsTests
{
    private sealed class Source : IObservable<ExecutionResult>
    {
        public List<IObserver<ExecutionResult>> Observers { get; } = [];

        public IDisposable Subscribe(IObserver<ExecutionResult> observer)
        {
            Observers.Add(observer);
            return new Unsubscribe(() => Observers.Remove(observer));
        }

        public void Publish(ExecutionResult result)
        {
            foreach (var observer in Observers.ToList())
            {
                observer.OnNext(result);
            }
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }

    private sealed class Member : IObserver<ExecutionResult>
    {
        public List<ExecutionResult> Received { get; } = [];

        public Exception? Error { get; private set; }

        public bool Completed { get; private set; }

        public void OnNext(ExecutionResult value) => Received.Add(value);

        public void OnError(Exception error) => Error = error;

        public void OnCompleted() => Completed = true;
    }

    private sealed class Starts
    {
        public List<(Source Source, CancellationToken Stopping)> Started { get; } = [];

        public Task<IObservable<ExecutionResult>> StartAsync(CancellationToken stopping)
        {
            var source = new Source();
            Started.Add((source, stopping));
            return Task.FromResult<IObservable<ExecutionResult>>(source);
        }
    }

    [Fact]
    public void Members_of_a_group_share_one_stream_and_each_event_is_the_same_result_for_all()
    {
        var groups = new SubscriptionGroups();
        var starts = new Starts();
        var (a, b, other) = (new Member(), new Member(), new Member());
        using var joinedA = groups.Stream("g", starts.StartAsync).Subscribe(a);
        using var joinedB = groups.Stream("g", starts.StartAsync).Subscribe(b);
        using var joinedOther = groups.Stream("h", starts.StartAsync).Subscribe(other);

        Assert.Equal(2, starts.Started.Count);
        Assert.Equal(2, groups.Count);
        starts.Started[0].Source.Publish(new ExecutionResult { Executed = true });

        var shared = Assert.IsType<SharedExecutionResult>(Assert.Single(a.Received));
        Assert.Same(shared, Assert.Single(b.Received));
        Assert.Empty(other.Received);
    }

    [Fact]
    public void The_stream_stops_when_the_last_member_leaves_and_a_new_member_starts_it_again()
    {
        var groups = new SubscriptionGroups();
        var starts = new Starts();
        var (a, b) = (new Member(), new Member());
        var joinedA = groups.Stream("g", starts.StartAsync).Subscribe(a);
        var joinedB = groups.Stream("g", starts.StartAsync).Subscribe(b);
        var (source, stopping) = starts.Started[0];

        joinedA.Dispose();
        source.Publish(new ExecutionResult { Executed = true });
        Assert.Empty(a.Received);
        Assert.Single(b.Received);
        Assert.False(stopping.IsCancellationRequested);

        joinedB.Dispose();
        Assert.True(stopping.IsCancellationRequested);
        Assert.Empty(source.Observers);
        Assert.Equal(0, groups.Count);

        using var again = groups.Stream("g", starts.StartAsync).Subscribe(new Member());
        Assert.Equal(2, starts.Started.Count);
    }

    [Fact]
    public void A_failed_stream_ends_every_member_and_the_next_member_gets_a_new_stream()
    {
        var groups = new SubscriptionGroups();
        var starts = new Starts();
        var (a, b) = (new Member(), new Member());
        var joinedA = groups.Stream("g", starts.StartAsync).Subscribe(a);
        var joinedB = groups.Stream("g", starts.StartAsync).Subscribe(b);

        var failure = new InvalidOperationException("the log is out of reach");
        foreach (var observer in starts.Started[0].Source.Observers.ToList())
        {
            observer.OnError(failure);
        }

        Assert.Same(failure, a.Error);
        Assert.Same(failure, b.Error);
        using var late = groups.Stream("g", starts.StartAsync).Subscribe(new Member());
        Assert.Equal(2, starts.Started.Count);

        // The failed group's members leave as their operations end: the last one releases its stream.
        joinedA.Dispose();
        joinedB.Dispose();
        Assert.True(starts.Started[0].Stopping.IsCancellationRequested);
        Assert.False(starts.Started[1].Stopping.IsCancellationRequested);
    }
}
