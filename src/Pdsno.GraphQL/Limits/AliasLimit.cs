using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Pdsno.GraphQL.Limits;

/// <summary>
/// Refuses a document with more aliased fields than <see cref="GraphQLLimitsOptions.MaxAliases"/>: each alias runs
/// its field once more, so aliases multiply the work of one request. Counted over the whole document (every
/// operation and fragment), as written.
/// </summary>
public sealed class AliasLimit(IOptions<GraphQLLimitsOptions> limits) : ValidationRuleBase
{
    /// <inheritdoc />
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var max = limits.Value.MaxAliases;
        var count = Count(context.Document);
        if (count > max)
        {
            context.ReportError(new LimitExceededError(
                $"the document has {count} aliases, which exceeds the maximum {max} ({GraphQLLimitsOptions.Section}:{nameof(GraphQLLimitsOptions.MaxAliases)}) by {count - max}"));
        }

        return default;
    }

    // An explicit stack: the parser bounds the nesting, but this walk need not rely on it.
    private static int Count(GraphQLDocument document)
    {
        var count = 0;
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition { SelectionSet: { } operation })
            {
                pending.Push(operation);
            }
            else if (definition is GraphQLFragmentDefinition { SelectionSet: { } fragment })
            {
                pending.Push(fragment);
            }
        }

        while (pending.TryPop(out var set))
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        if (field.Alias is not null)
                        {
                            count++;
                        }

                        if (field.SelectionSet is { } children)
                        {
                            pending.Push(children);
                        }

                        break;
                    case GraphQLInlineFragment { SelectionSet: { } inline }:
                        pending.Push(inline);
                        break;
                }
            }
        }

        return count;
    }
}
