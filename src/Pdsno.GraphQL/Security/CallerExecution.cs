using GraphQL;
using GraphQL.DI;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>Makes the request's caller the caller of every grain call its resolvers make, so the grain boundary checks it again.</summary>
public sealed class CallerExecution : IConfigureExecution
{
    /// <inheritdoc />
    public float SortOrder => 50;

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        if (options.UserContext is not PdsnoUserContext user)
        {
            return await next(options);
        }

        using (CallerContext.Use(user.Caller))
        {
            return await next(options);
        }
    }
}
