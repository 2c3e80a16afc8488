using Pdsno.GraphQL.Errors;

namespace Pdsno.GraphQL.Limits;

/// <summary>Checks the <c>first</c>/<c>last</c> arguments of a connection against the page size limits.</summary>
public static class PageSize
{
    /// <summary>
    /// The number of rows to take and whether they are taken from the end; throws <c>BAD_USER_INPUT</c> for negative or
    /// combined arguments and <c>LIMIT_EXCEEDED</c> for a page over the maximum.
    /// </summary>
    public static (int Size, bool FromEnd) Resolve(int? first, int? last, GraphQLLimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (first is not null && last is not null)
        {
            throw PdsnoError.BadUserInput("pass either first or last, not both");
        }

        var (name, value) = first is not null ? ("first", first.Value) : last is not null ? ("last", last.Value) : ("first", limits.DefaultPageSize);
        if (value < 0)
        {
            throw PdsnoError.BadUserInput($"{name} must not be negative (got {value})");
        }

        if (value > limits.MaxPageSize)
        {
            throw PdsnoError.LimitExceeded($"{name} {value} exceeds the maximum page size {limits.MaxPageSize} by {value - limits.MaxPageSize}");
        }

        return (value, last is not null);
    }
}
