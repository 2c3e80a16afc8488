using GraphQL.Types;

namespace Pdsno.GraphQL.Relay;

/// <summary>A Relay connection of <typeparamref name="TNodeType"/>, named after it (<c>DeviceConnection</c>).</summary>
public sealed class ConnectionGraphType<TNodeType, T> : ObjectGraphType<Connection<T>>
    where TNodeType : IGraphType
{
    /// <summary>Declares edges, nodes, pageInfo and totalCount.</summary>
    public ConnectionGraphType()
    {
        Name = GraphTypeNames.Of(typeof(TNodeType)) + "Connection";
        Description = $"A page of {GraphTypeNames.Of(typeof(TNodeType))} objects.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeGraphType<TNodeType, T>>>>>("edges")
            .Resolve(context => context.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes")
            .Description("The nodes of the edges, for clients that need no cursors.")
            .Resolve(context => context.Source.Edges.Select(e => e.Node).ToList());
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(context => context.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("Rows in the whole filtered list (one extra count query, made only when selected).")
            .ResolveAsync(async context => await context.Source.TotalCountAsync(context.CancellationToken));
    }
}

/// <summary>An edge of a connection of <typeparamref name="TNodeType"/>: the node and its cursor.</summary>
public sealed class EdgeGraphType<TNodeType, T> : ObjectGraphType<Edge<T>>
    where TNodeType : IGraphType
{
    /// <summary>Declares cursor and node.</summary>
    public EdgeGraphType()
    {
        Name = GraphTypeNames.Of(typeof(TNodeType)) + "Edge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(context => context.Source.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(context => context.Source.Node);
    }
}

/// <summary>Relay's PageInfo.</summary>
public sealed class PageInfoGraphType : ObjectGraphType<PageInfo>
{
    /// <summary>Declares the four page fields.</summary>
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Field(x => x.HasNextPage);
        Field(x => x.HasPreviousPage)
            .Description("True when paging backward and more rows lie before; when paging forward, true when `after` was given.");
        Field(x => x.StartCursor, nullable: true);
        Field(x => x.EndCursor, nullable: true);
    }
}

/// <summary>GraphQL names derived from graph type classes.</summary>
internal static class GraphTypeNames
{
    public static string Of(Type graphType)
    {
        var name = graphType.Name;
        return name.EndsWith("GraphType", StringComparison.Ordinal) ? name[..^"GraphType".Length] : name;
    }
}
