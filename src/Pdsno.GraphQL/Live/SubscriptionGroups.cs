using GraphQL;

namespace Pdsno.GraphQL.Live;

/// <summary>
/// Live subscriptions (no replay from <c>since</c>) of one group (<see cref="SharedEventResults.Group"/>) share one
/// source stream on this silo: one follower of the tail, one execution and one serialization per event, whose result
/// every member's connection writes under its own id. The stream starts with the first member and stops with the last.
/// </summary>
/// <remarks>
/// A member that joins a running group receives the events the group delivers from then on, in sequence order, which
/// is what a subscription without <c>since</c> asks for; one that asks for a replay follows the log on its own.
/// </remarks>
public sealed class SubscriptionGroups
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>The groups running now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _groups.Count;
            }
        }
    }

    /// <summary>
    /// The stream of group <paramref name="key"/>: subscribing joins the group, disposing the subscription leaves it.
    /// <paramref name="start"/> starts the group's own source stream when the first member joins; its token is
    /// cancelled when the last one leaves.
    /// </summary>
    public IObservable<ExecutionResult> Stream(string key, Func<CancellationToken, Task<IObservable<ExecutionResult>>> start) =>
        new Membership(this, key, start);

    private Group Join(string key, IObserver<ExecutionResult> member, Func<CancellationToken, Task<IObservable<ExecutionResult>>> start)
    {
        Group? group;
        var created = false;
        lock (_gate)
        {
            if (!_groups.TryGetValue(key, out group))
            {
                group = new Group(this, key);
                _groups[key] = group;
                created = true;
            }

            group.Add(member);
        }

        if (created)
        {
            group.Start(start);
        }

        return group;
    }

    private void Leave(Group group, IObserver<ExecutionResult> member)
    {
        bool last;
        lock (_gate)
        {
            // A group whose stream ended was forgotten already; its last member still stops it.
            last = group.Remove(member);
            if (last)
            {
                Forget(group);
            }
        }

        if (last)
        {
            group.Dispose();
        }
    }

    // New members of the key then start a new group, unless another already runs.
    private void Forget(Group group)
    {
        if (_groups.TryGetValue(group.Key, out var running) && running == group)
        {
            _groups.Remove(group.Key);
        }
    }

    private sealed class Membership(SubscriptionGroups groups, string key, Func<CancellationToken, Task<IObservable<ExecutionResult>>> start) : IObservable<ExecutionResult>
    {
        public IDisposable Subscribe(IObserver<ExecutionResult> observer)
        {
            var group = groups.Join(key, observer, start);
            return new Leaving(groups, group, observer);
        }
    }

    private sealed class Leaving(SubscriptionGroups groups, Group group, IObserver<ExecutionResult> member) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                groups.Leave(group, member);
            }
        }
    }

    /// <summary>One running group: its members (changed under the registry's lock, read without it) and its source stream.</summary>
    private sealed class Group : IObserver<ExecutionResult>, IDisposable
    {
        private readonly SubscriptionGroups _groups;
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationToken _stopping;
        private readonly Lock _upstreamGate = new();
        private IObserver<ExecutionResult>[] _members = [];
        private IDisposable? _upstream;
        private bool _stopped;

        public Group(SubscriptionGroups groups, string key)
        {
            _groups = groups;
            _stopping = _stop.Token;
            Key = key;
        }

        public string Key { get; }

        public void Add(IObserver<ExecutionResult> member) => _members = [.. _members, member];

        // True when the group has no member left.
        public bool Remove(IObserver<ExecutionResult> member)
        {
            _members = [.. _members.Where(m => m != member)];
            return _members.Length == 0;
        }

        public void Start(Func<CancellationToken, Task<IObservable<ExecutionResult>>> start) => _ = StartAsync(start);

        /// <summary>Stops the group's stream: its last member left.</summary>
        public void Dispose()
        {
            IDisposable? upstream;
            lock (_upstreamGate)
            {
                if (_stopped)
                {
                    return;
                }

                _stopped = true;
                upstream = _upstream;
                _upstream = null;
            }

            _stop.Cancel();
            upstream?.Dispose();
            _stop.Dispose();
        }

        public void OnNext(ExecutionResult value)
        {
            // Serialized once, by the first member's connection to write it, for all of them.
            var shared = value as SharedExecutionResult ?? new SharedExecutionResult(value);
            foreach (var member in Volatile.Read(ref _members))
            {
                member.OnNext(shared);
            }
        }

        public void OnError(Exception error) => End(m => m.OnError(error));

        public void OnCompleted() => End(m => m.OnCompleted());

        // The stream is over for every member; a member joining from now on starts a new group.
        private void End(Action<IObserver<ExecutionResult>> tell)
        {
            IObserver<ExecutionResult>[] members;
            lock (_groups._gate)
            {
                _groups.Forget(this);
                members = _members;
            }

            foreach (var member in members)
            {
                tell(member);
            }
        }

        private async Task StartAsync(Func<CancellationToken, Task<IObservable<ExecutionResult>>> start)
        {
            try
            {
                var stream = await start(_stopping);
                var upstream = stream.Subscribe(this);
                lock (_upstreamGate)
                {
                    if (!_stopped)
                    {
                        _upstream = upstream;
                        return;
                    }
                }

                upstream.Dispose();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Every member left before the stream started.
            }
            catch (Exception ex)
            {
                OnError(ex);
            }
        }
    }
}
