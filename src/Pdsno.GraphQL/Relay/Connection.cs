namespace Pdsno.GraphQL.Relay;

/// <summary>One page of a Relay connection; the total count is read only when a query selects it.</summary>
public sealed class Connection<T>(IReadOnlyList<Edge<T>> edges, PageInfo pageInfo, Func<CancellationToken, Task<int>> count)
{
    private readonly Lock _gate = new();
    private Task<int>? _count;

    /// <summary>The rows of the page with their cursors.</summary>
    public IReadOnlyList<Edge<T>> Edges { get; } = edges;

    /// <summary>Where the page lies.</summary>
    public PageInfo PageInfo { get; } = pageInfo;

    /// <summary>How many rows the whole filtered list has.</summary>
    public Task<int> TotalCountAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _count ??= count(cancellationToken);
        }
    }
}

/// <summary>A row of a connection and its cursor.</summary>
public sealed record Edge<T>(string Cursor, T Node);

/// <summary>Relay page information.</summary>
public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
