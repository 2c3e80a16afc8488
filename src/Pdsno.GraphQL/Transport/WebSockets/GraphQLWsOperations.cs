using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Live;
using Pdsno.GraphQL.Security;

namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>
/// The operations running on one connection, by id: starts and executes them, turns a subscription's event stream
/// into next, error and complete messages on the outbox, and ends them from either side.
/// </summary>
internal sealed class GraphQLWsOperations(HttpContext context, GraphQLWsOutbox outbox, int maxOperations, ILogger logger)
{
    private readonly ConcurrentDictionary<string, GraphQLWsOperation> _operations = new(StringComparer.Ordinal);

    /// <summary>True while an operation with <paramref name="id"/> runs: a subscribe with that id breaks the protocol.</summary>
    public bool IsRunning(string id) => _operations.ContainsKey(id);

    /// <summary>
    /// Starts an operation as <paramref name="user"/>; over the per-connection limit it answers with an error message
    /// and starts nothing. Called only from the receive loop, so the limit check and the add cannot race.
    /// </summary>
    public void Start(string id, GraphQLRequest request, PdsnoUserContext user, CancellationToken connectionToken)
    {
        if (_operations.Count >= maxOperations)
        {
            logger.LogDebug("Operation {OperationId} refused: {Limit} operations already running", id, maxOperations);
            outbox.Enqueue(new GraphQLWsOutboundMessage(GraphQLWsProtocol.Error, id,
                new ExecutionErrors { new ExecutionError($"Too many operations on this connection (at most {maxOperations} at once); complete one first.") { Code = "TOO_MANY_OPERATIONS" } },
                null));
            return;
        }

        var operation = new GraphQLWsOperation(id, connectionToken);
        _operations[id] = operation;
        _ = ExecuteAsync(operation, request, user);
    }

    /// <summary>The client sent complete: stop the operation, and send nothing more for it.</summary>
    public void CompleteByClient(string id)
    {
        if (_operations.TryRemove(id, out var stopped) && stopped.TryFinish(byClient: true))
        {
            logger.LogDebug("Operation {OperationId} completed by the client", id);
        }
    }

    /// <summary>Stops every operation (the connection is closing); the ids stay taken until <see cref="Clear"/>.</summary>
    public void StopAll()
    {
        foreach (var operation in _operations.Values)
        {
            operation.TryFinish();
        }
    }

    /// <summary>Stops every operation and forgets them (the connection is over).</summary>
    public void Clear()
    {
        StopAll();
        _operations.Clear();
    }

    private async Task ExecuteAsync(GraphQLWsOperation operation, GraphQLRequest request, PdsnoUserContext user)
    {
        try
        {
            var executer = context.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>();
            var group = SharedEventResults.Group(user.Caller, request, context.RequestServices.GetRequiredService<IGraphQLTextSerializer>());
            var userContext = user.ForOperation();
            userContext[SharedEventResults.GroupKey] = group;
            var result = await executer.ExecuteAsync(Options(request, userContext, context.RequestServices, operation.Token));

            if (!result.Executed)
            {
                // Parse or validation failure: the protocol's error message, payload = the GraphQL errors.
                Finish(operation, Message(GraphQLWsProtocol.Error, operation, result.Errors ?? [new ExecutionError("The operation could not be executed.")]));
            }
            else if (result.Streams is { Count: > 0 } streams)
            {
                // Validated and authorized as this caller; a live-only subscription then joins its group's stream
                // instead of following the log with a stream of its own.
                Subscribe(operation, userContext.ContainsKey(SharedEventResults.LiveShareable) ? Group(group, request, user) : streams.Values.First(), user);
            }
            else
            {
                // A query, a mutation, or a subscription whose source stream failed: one next, then complete.
                Finish(operation, Message(GraphQLWsProtocol.Next, operation, result), completes: true);
            }
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            logger.LogDebug("Operation {OperationId} cancelled before it finished", operation.Id);
        }
        catch (Exception ex) when (Unavailability.IsUnavailable(ex))
        {
            logger.LogWarning("Operation {OperationId} failed: the database is unavailable ({Reason})", operation.Id, ex.Message);
            Finish(operation, Message(GraphQLWsProtocol.Error, operation, new ExecutionErrors { PdsnoError.Unavailable() }));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Operation {OperationId} failed", operation.Id);
            Finish(operation, Message(GraphQLWsProtocol.Error, operation, new ExecutionErrors { new ExecutionError("Internal server error.") }));
        }
    }

    private void Subscribe(GraphQLWsOperation operation, IObservable<ExecutionResult> stream, PdsnoUserContext user)
    {
        var quotas = context.RequestServices.GetRequiredService<ConnectionQuotas>();
        var (slot, refused) = quotas.TryStartSubscription(user.Caller.Tenant, user.Caller.TokenId);
        if (slot is null)
        {
            var message = refused == "tenant"
                ? $"Too many subscriptions for this tenant on this server (at most {quotas.MaxTenantSubscriptions} at once, Security:RateLimits:SubscriptionsPerTenant); complete one first."
                : $"Too many subscriptions for this token (at most {quotas.MaxSubscriptions} at once, Security:RateLimits:SubscriptionsPerToken); complete one first.";
            Finish(operation, Message(GraphQLWsProtocol.Error, operation,
                new ExecutionErrors { new ExecutionError(message) { Code = "LIMIT_EXCEEDED" } }));
            return;
        }

        // The stream's producer starts here: it makes grain calls as this connection's caller.
        IDisposable subscription;
        using (CallerContext.Use(user.Caller))
        {
            subscription = stream.Subscribe(new StreamObserver(this, operation));
        }

        operation.Attach(new DisposeBoth(subscription, slot));
    }

    // The group's own execution outlives the connection of the member that starts it: its own service scope and
    // cancellation, ended when the group's last member leaves.
    private IObservable<ExecutionResult> Group(string key, GraphQLRequest request, PdsnoUserContext user) =>
        context.RequestServices.GetRequiredService<SubscriptionGroups>().Stream(key, async cancellationToken =>
        {
            var scope = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            cancellationToken.Register(() => _ = scope.DisposeAsync().AsTask());
            var executer = scope.ServiceProvider.GetRequiredService<IDocumentExecuter<ISchema>>();
            var result = await executer.ExecuteAsync(Options(request, user.ForOperation(), scope.ServiceProvider, cancellationToken));
            return result.Streams is { Count: > 0 } streams
                ? streams.Values.First()
                : throw result.Errors?.FirstOrDefault() ?? new ExecutionError("The event stream could not start.");
        });

    private ExecutionOptions Options(GraphQLRequest request, PdsnoUserContext userContext, IServiceProvider services, CancellationToken cancellationToken) => new()
    {
        Query = request.Query,
        DocumentId = request.DocumentId,
        OperationName = request.OperationName,
        Variables = request.Variables,
        Extensions = request.Extensions,
        UserContext = userContext,
        User = context.User,
        RequestServices = services,
        CancellationToken = cancellationToken,
    };

    /// <summary>Ends an operation from the server side: forget it first (so the id can be reused once the client sees the end), then send.</summary>
    private void Finish(GraphQLWsOperation operation, GraphQLWsOutboundMessage? last, bool completes = false)
    {
        _operations.TryRemove(KeyValuePair.Create(operation.Id, operation));
        if (!operation.TryFinish())
        {
            return;
        }

        if (last is { } message)
        {
            outbox.Enqueue(message);
        }

        if (completes)
        {
            outbox.Enqueue(new GraphQLWsOutboundMessage(GraphQLWsProtocol.Complete, operation.Id, null, operation));
        }
    }

    private void OnEvent(GraphQLWsOperation operation, ExecutionResult value)
    {
        if (!operation.IsFinished)
        {
            outbox.Enqueue(Message(GraphQLWsProtocol.Next, operation, value));
        }
    }

    private void OnStreamFailed(GraphQLWsOperation operation, Exception error)
    {
        // The source stream failed and is over: the protocol's error message ends the operation.
        var executionError = error as ExecutionError ?? new ExecutionError("The event stream failed.");
        logger.LogWarning(error, "Event stream of operation {OperationId} failed", operation.Id);
        Finish(operation, Message(GraphQLWsProtocol.Error, operation, new ExecutionErrors { executionError }));
    }

    private static GraphQLWsOutboundMessage Message(string type, GraphQLWsOperation operation, object payload) =>
        new(type, operation.Id, payload, operation);

    /// <summary>Turns a subscription's event stream into next, error and complete messages.</summary>
    private sealed class StreamObserver(GraphQLWsOperations operations, GraphQLWsOperation operation) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => operations.OnEvent(operation, value);

        public void OnError(Exception error) => operations.OnStreamFailed(operation, error);

        public void OnCompleted() => operations.Finish(operation, null, completes: true);
    }
}
