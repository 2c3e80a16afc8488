using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Events;

namespace Pdsno.GraphQL.Live;

/// <summary>
/// Wakes subscribers when a tenant's topology stream announces an event. The stream is only a signal:
/// subscribers then read the durable event log from their own cursor, so delivery is in sequence order,
/// with no gap and no duplicate, whatever order the stream delivered announcements from many grains in.
/// </summary>
public sealed class TopologySignals(IClusterClient client, ILogger<TopologySignals> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TenantSignal>>> _tenants = new(StringComparer.Ordinal);

    /// <summary>The signal of a tenant, subscribing to its topology stream on first use.</summary>
    public Task<TenantSignal> ForTenantAsync(string tenant) =>
        _tenants.GetOrAdd(tenant, t => new Lazy<Task<TenantSignal>>(() => SubscribeAsync(t))).Value;

    private async Task<TenantSignal> SubscribeAsync(string tenant)
    {
        var signal = new TenantSignal();
        try
        {
            var stream = client.GetStreamProvider(PdsnoStreams.Provider).GetStream<TopologyEvent>(StreamId.Create(PdsnoStreams.Topology, tenant));
            await stream.SubscribeAsync((_, _) =>
            {
                signal.Pulse();
                return Task.CompletedTask;
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Subscribers still poll the event log once a second; they are late, never wrong.
            logger.LogWarning(ex, "Topology stream of tenant {Tenant} could not be subscribed; subscribers fall back to polling", tenant);
            _tenants.TryRemove(tenant, out _);
        }

        return signal;
    }
}

/// <summary>A pulse that waiters can await, with a version so a pulse between two reads is never missed.</summary>
public sealed class TenantSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>Increases with every pulse.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Wakes every waiter.</summary>
    public void Pulse()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Waits until a pulse after <paramref name="seenVersion"/>, or at most <paramref name="max"/> (infinite allowed).</summary>
    public async Task WaitAsync(long seenVersion, TimeSpan max, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        if (Version != seenVersion)
        {
            return;
        }

        try
        {
            // WaitAsync, unlike a delay raced against the pulse, leaves nothing registered once it returns.
            await next.WaitAsync(max, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }
}
