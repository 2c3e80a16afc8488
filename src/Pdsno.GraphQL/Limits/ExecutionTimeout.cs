using System.Diagnostics;
using System.Globalization;
using GraphQL;
using GraphQL.DI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Errors;

namespace Pdsno.GraphQL.Limits;

/// <summary>
/// Cancels a request that runs longer than <see cref="GraphQLLimitsOptions.ExecutionTimeout"/> and answers it with a
/// <c>LIMIT_EXCEEDED</c> error; a cancellation by the caller still propagates as cancellation.
/// </summary>
public sealed class ExecutionTimeout(IOptions<GraphQLLimitsOptions> limits, IServiceProvider services, ILogger<ExecutionTimeout> logger) : IConfigureExecution
{
    /// <inheritdoc/>
    public float SortOrder => 200;

    /// <inheritdoc/>
    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        options.RequestServices ??= services;
        var timeout = limits.Value.ExecutionTimeout;
        var callerToken = options.CancellationToken;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        timer.CancelAfter(timeout);
        options.CancellationToken = timer.Token;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await next(options);
            if (timer.IsCancellationRequested && !callerToken.IsCancellationRequested && result.Errors is { Count: > 0 } errors
                && errors.Any(e => e.InnerException is OperationCanceledException))
            {
                return TimedOut(options, started, timeout);
            }

            return result;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            return TimedOut(options, started, timeout);
        }
        finally
        {
            options.CancellationToken = callerToken;
        }
    }

    private ExecutionResult TimedOut(ExecutionOptions options, long started, TimeSpan timeout)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        logger.LogWarning("GraphQL operation {Operation} cancelled after {Elapsed} (timeout {Timeout})", options.OperationName ?? "(anonymous)", elapsed, timeout);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"execution time exceeds the maximum {timeout.TotalMilliseconds:0} ms by {Math.Max(0, (elapsed - timeout).TotalMilliseconds):0} ms; the request was cancelled after {elapsed.TotalMilliseconds:0} ms");
        return new ExecutionResult { Executed = false, Errors = [PdsnoError.LimitExceeded(message)] };
    }
}
