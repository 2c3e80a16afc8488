using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using GraphQL;
using GraphQL.Transport;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Live;

/// <summary>
/// The result of one event for a group of subscriptions that would all compute the same one: the same document,
/// operation, variables and extensions, asked by callers who see the same (same tenant, roles and regions). The first
/// subscription of a group to reach an event executes it; the others of the group take its result, and the transport
/// serializes it once (<see cref="SharedExecutionResult"/>). Each subscription still follows the log from its own
/// cursor and filter, so what it receives, and in which order, does not change; only the work is shared.
/// </summary>
public sealed class SharedEventResults
{
    /// <summary>The user-context entry that names an operation's group; operations without it share nothing.</summary>
    public const string GroupKey = "pdsno.subscription-group";

    /// <summary>
    /// Field metadata of a subscription field whose live subscribers (no <c>since</c>) may share one stream per group;
    /// the execution strategy then sets the user-context entry of the same name.
    /// </summary>
    public const string LiveShareable = "pdsno.live-shareable";

    /// <summary>How many results are kept; subscribers of a group reach an event within moments of each other.</summary>
    public const int Capacity = 16_384;

    private readonly ConcurrentDictionary<(string Group, long Sequence), Task<SharedExecutionResult?>> _results = new();
    private readonly ConcurrentQueue<KeyValuePair<(string Group, long Sequence), Task<SharedExecutionResult?>>> _order = new();
    private int _count;

    /// <summary>
    /// The group of a subscription: equal for two subscriptions exactly when they would compute the same result for
    /// every event. Regions are sorted, so two tokens of the same regions listed in another order share.
    /// </summary>
    public static string Group(Caller caller, GraphQLRequest request, IGraphQLTextSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(serializer);
        var regions = caller.Regions.IsDefaultOrEmpty ? [] : caller.Regions.Order(StringComparer.Ordinal).ToArray();
        var key = new StringBuilder()
            .Append(caller.Tenant).Append('\0')
            .Append(((long)caller.Roles).ToString(CultureInfo.InvariantCulture)).Append('\0')
            .Append(caller.IsSystem ? '1' : '0').Append('\0')
            .AppendJoin('\u0001', regions).Append('\0')
            .Append(request.OperationName).Append('\0')
            .Append(request.DocumentId).Append('\0')
            .Append(request.Query).Append('\0')
            .Append(request.Variables is null ? null : serializer.Serialize(request.Variables)).Append('\0')
            .Append(request.Extensions is null ? null : serializer.Serialize(request.Extensions));
        return key.ToString();
    }

    /// <summary>
    /// The group's result for the event at <paramref name="sequence"/>: computed by <paramref name="execute"/> if no
    /// subscription of the group has, else the one computed. Null when the result another subscription computed is not
    /// to be shared (its execution failed or reported errors, which may be its own): the caller then runs its own.
    /// </summary>
    public async Task<ExecutionResult?> GetOrExecuteAsync(string group, long sequence, Func<ValueTask<ExecutionResult>> execute)
    {
        ArgumentNullException.ThrowIfNull(execute);
        var key = (group, sequence);
        if (_results.TryGetValue(key, out var existing))
        {
            return await existing;
        }

        var computed = new TaskCompletionSource<SharedExecutionResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
        existing = _results.GetOrAdd(key, computed.Task);
        if (existing != computed.Task)
        {
            return await existing;
        }

        Remember(KeyValuePair.Create(key, computed.Task));
        SharedExecutionResult? shared = null;
        try
        {
            var result = await execute();
            shared = result.Executed && result.Errors is not { Count: > 0 } ? new SharedExecutionResult(result) : null;
            return shared ?? result;
        }
        finally
        {
            if (shared is null)
            {
                _results.TryRemove(KeyValuePair.Create(key, computed.Task));
            }

            computed.SetResult(shared);
        }
    }

    // Bounds the cache by age: the oldest results leave first, whichever group they belong to. An entry leaves only as
    // the result it was remembered with, so a key dropped after an error and computed again is not evicted by its
    // first turn in the queue.
    private void Remember(KeyValuePair<(string Group, long Sequence), Task<SharedExecutionResult?>> entry)
    {
        _order.Enqueue(entry);
        if (Interlocked.Increment(ref _count) <= Capacity)
        {
            return;
        }

        if (_order.TryDequeue(out var oldest))
        {
            _results.TryRemove(oldest);
            Interlocked.Decrement(ref _count);
        }
    }
}

/// <summary>A subscription event's result shared by a group of subscriptions: its JSON is written once for all of them.</summary>
public sealed class SharedExecutionResult(ExecutionResult result) : ExecutionResult(result)
{
    private byte[]? _utf8;

    /// <summary>The result as UTF-8 JSON, serialized by the first caller and reused by the rest.</summary>
    public byte[] Utf8(Func<ExecutionResult, byte[]> serialize)
    {
        ArgumentNullException.ThrowIfNull(serialize);
        return Volatile.Read(ref _utf8) ?? Interlocked.CompareExchange(ref _utf8, serialize(this), null) ?? _utf8!;
    }
}
