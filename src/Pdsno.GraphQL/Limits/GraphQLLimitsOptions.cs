using Microsoft.Extensions.Options;

namespace Pdsno.GraphQL.Limits;

/// <summary>The server-enforced limits on every GraphQL request, bound from <c>GraphQL:Limits</c>.</summary>
public sealed class GraphQLLimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "GraphQL:Limits";

    /// <summary>The deepest field nesting a query may have.</summary>
    public int MaxDepth { get; set; } = 12;

    /// <summary>The highest cost a query may have: every object field costs 1 (scalars <see cref="ScalarFieldCost"/>), multiplied by the page sizes of the lists around it.</summary>
    public int MaxComplexity { get; set; } = 5000;

    /// <summary>The largest <c>first</c> or <c>last</c> a connection accepts.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>The page size of a connection asked for without <c>first</c> or <c>last</c>.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The cost multiplier of a list that has no <c>first</c>/<c>last</c> (a device's interfaces or neighbours).</summary>
    public int ListCostMultiplier { get; set; } = 10;

    /// <summary>What a scalar field costs; objects cost 1.</summary>
    public double ScalarFieldCost { get; set; }

    /// <summary>The longest a request may execute before it is cancelled.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most fragment definitions one document may hold (validation cost grows fast with fragment chains).</summary>
    public int MaxFragments { get; set; } = 100;

    /// <summary>The most aliased fields one document may hold: each alias runs its field again.</summary>
    public int MaxAliases { get; set; } = 30;

    /// <summary>What a <c>topology</c> field costs: it reads a whole region, its links and the devices they reach.</summary>
    public int TopologyCost { get; set; } = 500;

    /// <summary>What a <c>path</c> field costs: it reads every UP link of the tenant and searches the graph.</summary>
    public int PathCost { get; set; } = 500;

    /// <summary>What a connection's <c>totalCount</c> costs: one count over every row the filter matches.</summary>
    public int CountCost { get; set; } = 50;
}

/// <summary>Rejects unusable limits at start, naming the configuration key.</summary>
public sealed class GraphQLLimitsOptionsValidator : IValidateOptions<GraphQLLimitsOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, GraphQLLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Positive(options.MaxDepth, nameof(options.MaxDepth));
        Positive(options.MaxComplexity, nameof(options.MaxComplexity));
        Positive(options.MaxPageSize, nameof(options.MaxPageSize));
        Positive(options.DefaultPageSize, nameof(options.DefaultPageSize));
        Positive(options.ListCostMultiplier, nameof(options.ListCostMultiplier));
        Positive(options.MaxFragments, nameof(options.MaxFragments));
        Positive(options.MaxAliases, nameof(options.MaxAliases));
        Positive(options.TopologyCost, nameof(options.TopologyCost));
        Positive(options.PathCost, nameof(options.PathCost));
        Positive(options.CountCost, nameof(options.CountCost));
        if (options.DefaultPageSize > options.MaxPageSize)
        {
            problems.Add($"{GraphQLLimitsOptions.Section}:{nameof(options.DefaultPageSize)} ({options.DefaultPageSize}) must not exceed {GraphQLLimitsOptions.Section}:{nameof(options.MaxPageSize)} ({options.MaxPageSize})");
        }

        if (options.ScalarFieldCost < 0)
        {
            problems.Add($"{GraphQLLimitsOptions.Section}:{nameof(options.ScalarFieldCost)} must not be negative (got {options.ScalarFieldCost})");
        }

        if (options.ExecutionTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{GraphQLLimitsOptions.Section}:{nameof(options.ExecutionTimeout)} must be positive (got {options.ExecutionTimeout})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

        void Positive(int value, string key)
        {
            if (value < 1)
            {
                problems.Add($"{GraphQLLimitsOptions.Section}:{key} must be at least 1 (got {value})");
            }
        }
    }
}
