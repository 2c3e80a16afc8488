using System.Globalization;
using GraphQL.Validation.Complexity;

namespace Pdsno.GraphQL.Limits;

/// <summary>
/// Configures GraphQL.NET's complexity analyzer from <see cref="GraphQLLimitsOptions"/> and replaces its errors with
/// <c>LIMIT_EXCEEDED</c> errors that say which limit and by how much.
/// </summary>
public static class QueryCostAnalysis
{
    /// <summary>The depth allowed to an operation that only introspects the schema.</summary>
    public const int IntrospectionMaxDepth = 20;

    /// <summary>The cost allowed to an operation that only introspects the schema.</summary>
    public const double IntrospectionMaxCost = 200_000;

    /// <summary>Applies <paramref name="limits"/> to <paramref name="options"/>.</summary>
    public static void Configure(ComplexityOptions options, GraphQLLimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);

        // The analyzer's own limits stay off: the delegate below checks them with messages of our own.
        options.MaxDepth = null;
        options.MaxComplexity = null;
        options.DefaultObjectImpact = 1;
        options.DefaultScalarImpact = limits.ScalarFieldCost;
        options.DefaultListImpactMultiplier = limits.ListCostMultiplier;
        options.ValidateComplexityDelegate = context =>
        {
            // Schema introspection (GraphiQL's and every client generator's) nests deeper and fans out wider than
            // any data query, and reads nothing tenant-owned: it gets limits of its own, still finite, because
            // types { fields { type { fields ... } } } grows exponentially with depth.
            var introspection = IsIntrospectionOnly(context.ValidationContext.Operation);
            var maxDepth = introspection ? IntrospectionMaxDepth : limits.MaxDepth;
            var maxCost = introspection ? IntrospectionMaxCost : limits.MaxComplexity;
            if (context.MaxDepth > maxDepth)
            {
                context.Error = new LimitExceededError(
                    $"query depth {context.MaxDepth} exceeds the maximum {maxDepth} by {context.MaxDepth - maxDepth}");
            }
            else if (context.TotalImpact > maxCost)
            {
                var cost = Math.Ceiling(context.TotalImpact);
                context.Error = new LimitExceededError(string.Create(
                    CultureInfo.InvariantCulture,
                    $"query cost {cost} exceeds the maximum {maxCost} by {cost - maxCost} (lists cost their first/last times their fields)"));
            }

            return Task.CompletedTask;
        };
    }

    private static bool IsIntrospectionOnly(GraphQLParser.AST.GraphQLOperationDefinition operation) =>
        operation.SelectionSet.Selections.All(s => s is GraphQLParser.AST.GraphQLField f && f.Name.Value.Span.StartsWith("__", StringComparison.Ordinal));
}
