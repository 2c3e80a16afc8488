using GraphQL.DataLoader;

namespace Pdsno.GraphQL.Loading;

/// <summary>
/// Collects the keys that resolvers of one execution step ask for and fetches them with one call when the
/// execution strategy first awaits a result; later steps open a new batch. Each key is fetched once per request.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch, TValue missing)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Batch> _batchOf = [];
    private Batch? _open;

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

            return new DataLoaderResult<TValue>(async cancellationToken =>
            {
                var values = await batch.RunAsync(cancellationToken);
                return values.TryGetValue(key, out var value) ? value : missing;
            });
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

    /// <summary>Fetches whatever keys are waiting in the open batch.</summary>
    public async Task DispatchAsync(CancellationToken cancellationToken = default)
    {
        Batch? batch;
        lock (_gate)
        {
            batch = _open;
        }

        if (batch is not null)
        {
            await batch.RunAsync(cancellationToken);
        }
    }

    private sealed class Batch(BatchLoader<TKey, TValue> owner)
    {
        private Task<IReadOnlyDictionary<TKey, TValue>>? _task;

        public HashSet<TKey> Keys { get; } = [];

        public bool Started => _task is not null;

        public Task<IReadOnlyDictionary<TKey, TValue>> RunAsync(CancellationToken cancellationToken)
        {
            lock (owner._gate)
            {
                // Started under the lock so no key joins a batch whose fetch is already under way.
                return _task ??= owner.FetchAsync([.. Keys], cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyDictionary<TKey, TValue>> FetchAsync(IReadOnlyCollection<TKey> keys, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return await fetch(keys, cancellationToken);
    }
}
