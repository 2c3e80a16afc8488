using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Limits;
using Pdsno.GraphQL.Loading;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Relay;

/// <summary>Declares connection arguments and turns them into keyset pages.</summary>
public static class Connections
{
    /// <summary>Adds <c>first</c>, <c>after</c>, <c>last</c> and <c>before</c> to a connection field.</summary>
    public static FieldBuilder<TSource, TReturn> PagingArguments<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field
            .Argument<IntGraphType>("first", "Rows from the start (after `after`); at most the server's maximum page size.")
            .Argument<StringGraphType>("after", "Cursor to continue after.")
            .Argument<IntGraphType>("last", "Rows from the end (before `before`); at most the server's maximum page size.")
            .Argument<StringGraphType>("before", "Cursor to continue before.");
    }

    /// <summary>
    /// Reads one page for the connection arguments of <paramref name="context"/>: validates them, loads the rows with
    /// <paramref name="load"/> and defers the total count to <paramref name="count"/>. A cursor whose key
    /// <paramref name="isKey"/> refuses is <c>BAD_USER_INPUT</c>.
    /// </summary>
    public static async Task<Connection<T>> PageAsync<T>(
        IResolveFieldContext context,
        string list,
        Func<T, string> keyOf,
        Func<KeysetPage, CancellationToken, Task<KeysetResult<T>>> load,
        Func<CancellationToken, Task<int>> count,
        Func<string, bool>? isKey = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(load);
        var limits = (context.RequestServices ?? throw new InvalidOperationException("The execution has no request services."))
            .GetRequiredService<IOptions<GraphQLLimitsOptions>>().Value;
        var (size, fromEnd) = PageSize.Resolve(context.GetArgument<int?>("first"), context.GetArgument<int?>("last"), limits);
        var after = Cursor.Decode(context.GetArgument<string?>("after"), list, "after", isKey);
        var before = Cursor.Decode(context.GetArgument<string?>("before"), list, "before", isKey);
        // A selected total is counted while the page is read rather than after it.
        if (context.SubFields?.Values.Any(f => f.FieldType.Name == "totalCount") == true)
        {
            var counting = count(context.CancellationToken);
            counting.ObserveFailure();
            count = _ => counting;
        }

        var page = await load(new KeysetPage(size, after, before, fromEnd), context.CancellationToken);
        var edges = page.Rows.Select(row => new Edge<T>(Cursor.Encode(list, keyOf(row)), row)).ToList();
        var info = new PageInfo(
            HasNextPage: fromEnd ? before is not null : page.HasMore,
            HasPreviousPage: fromEnd ? page.HasMore : after is not null,
            StartCursor: edges.Count > 0 ? edges[0].Cursor : null,
            EndCursor: edges.Count > 0 ? edges[^1].Cursor : null);
        return new Connection<T>(edges, info, count);
    }
}
