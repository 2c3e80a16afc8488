using GraphQL;
using GraphQL.DI;
using Microsoft.Extensions.Logging;

namespace Pdsno.GraphQL.Errors;

/// <summary>
/// Turns every unhandled exception into an <c>INTERNAL</c> error with a generic message and logs the exception,
/// so stack traces and exception text never reach a client; a database out of reach is <c>UNAVAILABLE</c> instead.
/// </summary>
public sealed class InternalErrorHandling(ILogger<InternalErrorHandling> logger) : IConfigureExecution
{
    /// <inheritdoc/>
    public float SortOrder => 100;

    /// <inheritdoc/>
    public Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        options.UnhandledExceptionDelegate = context =>
        {
            if (context.OriginalException is UnauthorizedAccessException denied)
            {
                // The grain boundary refused the call (it recorded the refusal); the reason names no secret.
                context.Exception = PdsnoError.Forbidden(denied.Message);
                return Task.CompletedTask;
            }

            if (Unavailability.IsUnavailable(context.OriginalException))
            {
                // An outage, not a defect: one line without the stack, and the caller is told to retry.
                logger.LogWarning(
                    "GraphQL request failed in {Field} ({Operation}): the database is unavailable ({Reason})",
                    context.FieldContext?.FieldDefinition.Name ?? "(document)",
                    context.ExecutionOptions.OperationName ?? "(anonymous)",
                    context.OriginalException.Message);
                context.Exception = PdsnoError.Unavailable();
                return Task.CompletedTask;
            }

            logger.LogError(
                context.OriginalException,
                "GraphQL request failed in {Field} ({Operation})",
                context.FieldContext?.FieldDefinition.Name ?? "(document)",
                context.ExecutionOptions.OperationName ?? "(anonymous)");
            context.Exception = PdsnoError.Internal();
            return Task.CompletedTask;
        };
        return next(options);
    }
}
