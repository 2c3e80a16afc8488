using System.Runtime.CompilerServices;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace Pdsno.GraphQL.Execution;

/// <summary>
/// Runs queries serially (the resolvers here are synchronous or batched; sibling fields as parallel tasks would only
/// add overhead) and collects the fields of a selection set once per object type per request. The stock strategy
/// collects them again for every object of a list: for a page of 100 devices with their interfaces and neighbours,
/// several thousand identical collections (fragment expansion, @skip/@include, field look-up, field merging).
/// </summary>
/// <remarks>
/// What a collection yields depends on the type, the selection set, the document and the request's variables
/// (through @skip/@include), so the cache belongs to one execution and is dropped with it.
/// </remarks>
public sealed class QueryExecutionStrategy : SerialExecutionStrategy
{
    private static readonly ConditionalWeakTable<ExecutionContext, Dictionary<(IGraphType, GraphQLSelectionSet), (GraphQLField Field, FieldType Definition)[]>> Collected = [];

    /// <inheritdoc/>
    protected override void SetSubFieldNodes(ExecutionContext context, ObjectExecutionNode parent)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parent);
        var parentType = parent.GetObjectGraphType(context.Schema) ?? parent.GraphType!;
        var selectionSet = parent.SelectionSet!;
        var cache = Collected.GetValue(context, static _ => []);
        if (!cache.TryGetValue((parentType, selectionSet), out var fields))
        {
            fields = [.. CollectFieldsFrom(context, parentType, selectionSet, null).Values];
            cache[(parentType, selectionSet)] = fields;
        }

        var subFields = new ExecutionNode[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var (field, definition) = fields[i];
            subFields[i] = BuildExecutionNode(parent, definition.ResolvedType!, field, definition);
        }

        parent.SubFields = subFields;
    }
}
