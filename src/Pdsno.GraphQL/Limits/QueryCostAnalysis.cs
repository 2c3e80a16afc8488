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
        var standard = options.DefaultComplexityImpactDelegate;
        options.DefaultComplexityImpactDelegate = context => Weigh(context, limits, standard);
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
                    $"query cost {cost} exceeds the maximum {maxCost} by {cost - maxCost} (lists cost their page size times their fields; topology, path and totalCount cost what they read)"));
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// The cost of one field. Most fields cost what GraphQL.NET's default says (objects 1, lists their first/last or
    /// <see cref="GraphQLLimitsOptions.ListCostMultiplier"/>), but some read far more than one object: their cost is
    /// their database work, so that aliasing them many times exceeds the limit rather than the database.
    /// </summary>
    internal static FieldComplexityResult Weigh(FieldImpactContext context, GraphQLLimitsOptions limits, Func<FieldImpactContext, FieldComplexityResult> standard)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(standard);
        var name = context.FieldDefinition.Name;
        var parent = context.ParentType;
        if (parent is not null && parent == context.ValidationContext.Schema.Query)
        {
            switch (name)
            {
                case "topology":
                    return new(limits.TopologyCost, 1);
                case "path":
                    return new(limits.PathCost, 1);
                case "nodes":
                    // Unpaged: as many objects as ids are asked for (the resolver refuses more than a page).
                    return new(1, context.Arguments?.TryGetValue("ids", out var ids) == true && ids.Value is System.Collections.ICollection list
                        ? Math.Min(list.Count, limits.MaxPageSize)
                        : limits.MaxPageSize);
            }
        }

        var isConnection = parent?.Name.EndsWith("Connection", StringComparison.Ordinal) == true;
        if (isConnection && name == "totalCount")
        {
            return new(limits.CountCost, 1);
        }

        var result = standard(context);
        if (isConnection && name is ("edges" or "nodes") && context.Parent is { } connection && !HasPageSize(connection))
        {
            // A connection asked without first/last returns the default page, not ListCostMultiplier rows.
            result.ChildImpactMultiplier = limits.DefaultPageSize;
        }

        return result;
    }

    private static bool HasPageSize(FieldImpactContext connection) =>
        connection.Arguments is { } arguments
        && ((arguments.TryGetValue("first", out var first) && first.Value is int) || (arguments.TryGetValue("last", out var last) && last.Value is int));

    private static bool IsIntrospectionOnly(GraphQLParser.AST.GraphQLOperationDefinition operation) =>
        operation.SelectionSet.Selections.All(s => s is GraphQLParser.AST.GraphQLField f && f.Name.Value.Span.StartsWith("__", StringComparison.Ordinal));
}
