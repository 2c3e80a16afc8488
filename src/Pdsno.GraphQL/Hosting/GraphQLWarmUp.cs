using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Hosting;

/// <summary>
/// Runs the operator console's first reads once when the host has started, so the first person to sign in does not
/// pay for building the schema's resolvers and compiling the execution path. It reads as a viewer of the reserved
/// tenant <see cref="ReservedTenants.WarmUp"/>, which can have no token and so holds no data: nothing is written,
/// every answer is empty, and the answers are thrown away unread.
/// </summary>
internal sealed partial class GraphQLWarmUp(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<GraphQLWarmUp> logger) : BackgroundService
{
    // What the console asks on the way from sign-in to a drawn region (app.js, api.js, map.js), field for field.
    private static readonly (string Query, Inputs Variables)[] ConsoleReads =
    [
        ("{ viewer { tenant tokenName roles regions } regions(first: 200) { edges { node { key name deviceCount } } } }", Inputs.Empty),
        ("query($r: ID) { events(last: 1, regionId: $r) { edges { node { sequence } } } }", Region),
        ("""
         query($r: ID!) { topology(regionId: $r) {
           region { key name }
           nodes { key label status role external regionKey latitude longitude device { managementAddress } }
           edges { key source target sourceInterface targetInterface status speedBps } } }
         """, Region),
        ("query($r: ID) { events(regionId: $r, last: 500, types: [INTERFACE_UTILIZATION_HIGH, INTERFACE_UTILIZATION_NORMAL]) { edges { node { type device interface } } } }", Region),
    ];

    private static Inputs Region => new Dictionary<string, object?> { ["r"] = "warm-up" }.ToInputs();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After the start, not during it: the schema's tables exist by then and the start is not made longer.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var clock = Stopwatch.StartNew();
        var failures = 0;
        try
        {
            var executer = services.GetRequiredService<IDocumentExecuter<ISchema>>();
            var serializer = services.GetRequiredService<IGraphQLSerializer>();
            var caller = new Caller(ReservedTenants.WarmUp, "", "warm-up", Roles.Viewer, ImmutableArray<string>.Empty);
            foreach (var (query, variables) in ConsoleReads)
            {
                await using var scope = services.CreateAsyncScope();
                var result = await executer.ExecuteAsync(new ExecutionOptions
                {
                    Query = query,
                    Variables = variables,
                    UserContext = new PdsnoUserContext { Caller = caller },
                    RequestServices = scope.ServiceProvider,
                    CancellationToken = stoppingToken,
                    ValidationRules = DocumentValidator.CoreRules,
                });
                failures += result.Errors?.Count ?? 0;
                if (serializer is Transport.GraphQLResponseSerializer response)
                {
                    response.Write(new ArrayBufferWriter<byte>(), result);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A warm-up that fails costs the first caller some time, never the host its start.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
            return;
        }

        LogWarmedUp(logger, clock.ElapsedMilliseconds, failures);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "GraphQL warmed up with the console's reads in {ElapsedMs} ms ({Errors} errors)")]
    private static partial void LogWarmedUp(ILogger logger, long elapsedMs, int errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The GraphQL warm-up failed; the first request pays for it instead")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
