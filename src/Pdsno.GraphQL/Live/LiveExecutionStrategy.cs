using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using Pdsno.Storage.ReadModel;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace Pdsno.GraphQL.Live;

/// <summary>
/// Executes subscriptions as GraphQL.NET does, except that an event of the log is executed once per group of
/// subscriptions that would compute the same result (<see cref="SharedEventResults"/>), not once per subscription:
/// with thousands of subscribers of one document, the execution of every event was most of the cost of delivering it.
/// </summary>
public sealed class LiveExecutionStrategy(SharedEventResults shared) : SubscriptionExecutionStrategy
{
    /// <inheritdoc/>
    public override Task<ExecutionResult> ExecuteAsync(ExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.UserContext is PdsnoUserContext user && IsLiveShareable(context))
        {
            user[SharedEventResults.LiveShareable] = true;
        }

        return base.ExecuteAsync(context);
    }

    // One field that declares it may be shared, asked without since (given or not, a since may replay the log from a
    // cursor of the subscriber's own); a root fragment is not looked into and shares nothing.
    private static bool IsLiveShareable(ExecutionContext context) =>
        context.Operation.SelectionSet.Selections is [GraphQLField field]
        && context.Schema.Subscription?.GetField(field.Name.StringValue) is { } definition
        && definition.GetMetadata(SharedEventResults.LiveShareable, false)
        && field.Arguments?.Items.Any(a => a.Name.StringValue == "since") != true;

    /// <inheritdoc/>
    protected override async ValueTask<ExecutionResult> ProcessDataAsync(ExecutionContext context, ExecutionNode node, object? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is not EventRecord e
            || context.UserContext is not PdsnoUserContext user
            || !user.TryGetValue(SharedEventResults.GroupKey, out var entry)
            || entry is not string group)
        {
            return await base.ProcessDataAsync(context, node, value);
        }

        // The result another subscription of the group computed, or this one's, computed now for the group; when the
        // other's is not to be shared (its errors may be its own), this subscription runs its own.
        return await shared.GetOrExecuteAsync(group, e.Sequence, () => base.ProcessDataAsync(context, node, value))
            ?? await base.ProcessDataAsync(context, node, value);
    }
}
