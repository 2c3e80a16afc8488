using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.DI;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Errors;

namespace Pdsno.GraphQL.Limits;

/// <summary>
/// Refuses a document with more fragment definitions than <see cref="GraphQLLimitsOptions.MaxFragments"/> before it
/// is validated: validating long chains of fragments that spread each other costs far more than the timeout
/// allows, and validation runs before the execution timeout can help. The count is over the text, in one pass.
/// </summary>
public sealed partial class FragmentLimit(IOptions<GraphQLLimitsOptions> limits) : IConfigureExecution
{
    /// <inheritdoc/>
    public float SortOrder => 60;

    /// <inheritdoc/>
    public Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        var max = limits.Value.MaxFragments;
        if (options.Query is { Length: > 0 } query)
        {
            var count = FragmentDefinition().Count(query);
            if (count > max)
            {
                return Task.FromResult(new ExecutionResult
                {
                    Executed = false,
                    Errors = [PdsnoError.LimitExceeded($"the document defines {count} fragments, which exceeds the maximum {max} by {count - max}")],
                });
            }
        }

        return next(options);
    }

    [GeneratedRegex(@"\bfragment\s+[_A-Za-z][_0-9A-Za-z]*\s+on\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FragmentDefinition();
}
