using GraphQL.DataLoader;

namespace Pdsno.GraphQL.Loading;

/// <summary>A value the execution strategy resolves after the current step, once; <c>Then</c> chains another step.</summary>
public sealed class DataLoaderResult<T>(Func<CancellationToken, Task<T>> resolve) : IDataLoaderResult<T>
{
    private readonly Lock _gate = new();
    private Task<T>? _task;

    /// <inheritdoc/>
    public Task<T> GetResultAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _task ??= resolve(cancellationToken);
        }
    }

    async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
}

/// <summary>Composition of pending results.</summary>
public static class DataLoaderResultExtensions
{
    /// <summary>Maps a pending value once it is known.</summary>
    public static IDataLoaderResult<TOut> Then<TIn, TOut>(this IDataLoaderResult<TIn> source, Func<TIn, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(map);
        return new DataLoaderResult<TOut>(async cancellationToken => map(await source.GetResultAsync(cancellationToken)));
    }

    /// <summary>
    /// Continues with another pending result, which the execution strategy awaits in a later step, so the keys of
    /// every sibling's second step are batched together.
    /// </summary>
    public static IDataLoaderResult<IDataLoaderResult<TOut>> ThenLoad<TIn, TOut>(this IDataLoaderResult<TIn> source, Func<TIn, IDataLoaderResult<TOut>> next)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(next);
        return new DataLoaderResult<IDataLoaderResult<TOut>>(async cancellationToken => next(await source.GetResultAsync(cancellationToken)));
    }
}
