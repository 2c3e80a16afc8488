using System.Globalization;
using GraphQL.Validation.Complexity;

namespace Pdsno.GraphQL.Limits;

/// <summary>
/// Configures GraphQL.NET's complexity analyzer from <see cref="GraphQLLimitsOptions"/> and replaces its errors with
/// <c>LIMIT_EXCEEDED</c> errors that say which limit and by how much.
/// </summary>
public static class QueryCostAnalysis
{
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
            if (context.MaxDepth > limits.MaxDepth)
            {
                context.Error = new LimitExceededError(
                    $"query depth {context.MaxDepth} exceeds the maximum {limits.MaxDepth} by {context.MaxDepth - limits.MaxDepth}");
            }
            else if (context.TotalImpact > limits.MaxComplexity)
            {
                var cost = Math.Ceiling(context.TotalImpact);
                context.Error = new LimitExceededError(string.Create(
                    CultureInfo.InvariantCulture,
                    $"query cost {cost} exceeds the maximum {limits.MaxComplexity} by {cost - limits.MaxComplexity} (lists cost their first/last times their fields)"));
            }

            return Task.CompletedTask;
        };
    }
}
