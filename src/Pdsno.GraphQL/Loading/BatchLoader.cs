using GraphQL.DataLoader;

namespace Pdsno.GraphQL.Loading;

/// <summary>
/// Collects the keys that resolvers of one execution step ask for and fetches them with one call when the
/// execution strategy first awaits a result; later steps open a new batch. Each key is fetched once per request.
/// Loaders of one <see cref="BatchGroup"/> start their waiting batches together, so the statements of one step run
/// side by side instead of one after another.
/// </summary>
public sealed class BatchLoader<TKey, TValue> : BatchGroup.IMember
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Batch> _batchOf = [];
    private readonly Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> _fetch;
    private readonly TValue _missing;
    private readonly BatchGroup? _group;
    private Batch? _open;

    /// <summary>A loader that fetches with <paramref name="fetch"/>; keys it does not return resolve to <paramref name="missing"/>.</summary>
    public BatchLoader(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch, TValue missing, BatchGroup? group = null)
    {
        _fetch = fetch;
        _missing = missing;
        _group = group;
        group?.Add(this);
    }

    /// <summary>A pending result for <paramref name="key"/>; the value is <c>missing</c> when the fetch does not return the key.</summary>
    public IDataLoaderResult<TValue> Load(TKey key)
    {
        lock (_gate)
        {
            if (!_batchOf.TryGetValue(key, out var batch))
            {
                if (_open is null || _open.Started)
                {
                    _open = new Batch(this);
                }

                _open.Keys.Add(key);
                _batchOf[key] = batch = _open;
            }

            return new KeyResult(batch, key);
        }
    }

    /// <summary>
    /// Starts fetching <paramref name="keys"/> now, those not asked for yet, in one batch of their own: for keys that
    /// are certain to be wanted by the next step, so the statement runs while the current step is still completing.
    /// </summary>
    public void Preload(IEnumerable<TKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Batch? batch = null;
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_batchOf.ContainsKey(key))
                {
                    continue;
                }

                batch ??= new Batch(this);
                batch.Keys.Add(key);
                _batchOf[key] = batch;
            }
        }

        if (batch is not null)
        {
            // Whoever loaded the keys awaits the batch later; should the request end first, its failure is observed.
            batch.RunAsync(cancellationToken, startGroup: false).ObserveFailure();
        }
    }

    /// <summary>Pending results for several keys, in the order given.</summary>
    public IDataLoaderResult<IReadOnlyList<TValue>> LoadMany(IEnumerable<TKey> keys)
    {
        var results = keys.Select(Load).ToList();
        return new DataLoaderResult<IReadOnlyList<TValue>>(async cancellationToken =>
        {
            var values = new TValue[results.Count];
            for (var i = 0; i < results.Count; i++)
            {
                values[i] = await results[i].GetResultAsync(cancellationToken);
            }

            return values;
        });
    }

    void BatchGroup.IMember.StartWaiting(CancellationToken cancellationToken)
    {
        Batch? batch;
        lock (_gate)
        {
            batch = _open is { Started: false, Keys.Count: > 0 } ? _open : null;
        }

        if (batch is not null)
        {
            batch.RunAsync(cancellationToken).ObserveFailure();
        }
    }


    // One per loaded key, so it carries no closure; once the batch is in, the value is returned without a state machine.
    private sealed class KeyResult(Batch batch, TKey key) : IDataLoaderResult<TValue>
    {
        public Task<TValue> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var fetch = batch.RunAsync(cancellationToken);
            return fetch.IsCompletedSuccessfully ? Task.FromResult(batch.Owner.ValueOf(fetch.Result, key)) : AwaitAsync(fetch);
        }

        Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken)
        {
            var typed = GetResultAsync(cancellationToken);
            return typed.IsCompletedSuccessfully ? Task.FromResult<object?>(typed.Result) : BoxAsync(typed);
        }

        private static async Task<object?> BoxAsync(Task<TValue> value) => await value;

        private async Task<TValue> AwaitAsync(Task<IReadOnlyDictionary<TKey, TValue>> fetch) => batch.Owner.ValueOf(await fetch, key);
    }

    private TValue ValueOf(IReadOnlyDictionary<TKey, TValue> values, TKey key) => values.TryGetValue(key, out var value) ? value : _missing;

    private sealed class Batch(BatchLoader<TKey, TValue> owner)
    {
        public BatchLoader<TKey, TValue> Owner => owner;

        private Task<IReadOnlyDictionary<TKey, TValue>>? _task;

        public HashSet<TKey> Keys { get; } = [];

        public bool Started => _task is not null;

        public Task<IReadOnlyDictionary<TKey, TValue>> RunAsync(CancellationToken cancellationToken, bool startGroup = true)
        {
            Task<IReadOnlyDictionary<TKey, TValue>> task;
            bool first;
            lock (owner._gate)
            {
                // Started under the lock so no key joins a batch whose fetch is already under way.
                first = _task is null;
                task = _task ??= owner.FetchAsync([.. Keys], cancellationToken);
            }

            if (first && startGroup)
            {
                // The execution strategy awaits a step's results only once every resolver of the step has run, so the
                // other loaders' open batches are complete now.
                owner._group?.StartWaiting(cancellationToken);
            }

            return task;
        }
    }

    private async Task<IReadOnlyDictionary<TKey, TValue>> FetchAsync(IReadOnlyCollection<TKey> keys, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return await _fetch(keys, cancellationToken);
    }
}

/// <summary>The batch loaders of one request, whose waiting batches start together.</summary>
public sealed class BatchGroup
{
    private readonly Lock _gate = new();
    private readonly List<IMember> _members = [];

    /// <summary>A loader of the group.</summary>
    public interface IMember
    {
        /// <summary>Starts the loader's open batch, if it has keys and has not started.</summary>
        void StartWaiting(CancellationToken cancellationToken);
    }

    internal void Add(IMember member)
    {
        lock (_gate)
        {
            _members.Add(member);
        }
    }

    internal void StartWaiting(CancellationToken cancellationToken)
    {
        IMember[] members;
        lock (_gate)
        {
            members = [.. _members];
        }

        foreach (var member in members)
        {
            member.StartWaiting(cancellationToken);
        }
    }
}
