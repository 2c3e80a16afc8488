using Pdsno.GraphQL.Live;
using Pdsno.Webhooks.Delivery;

namespace Pdsno.GraphQL.Webhooks;

/// <summary>Wakes webhook delivery loops from the same per-tenant topology signal that wakes subscriptions.</summary>
public sealed class TopologyWakeups(TopologySignals signals) : ITenantWakeups
{
    /// <inheritdoc />
    public async Task<IWakeup> ForTenantAsync(string tenant) => new Signal(await signals.ForTenantAsync(tenant));

    private sealed class Signal(TenantSignal signal) : IWakeup
    {
        public long Version => signal.Version;

        public Task WaitAsync(long seenVersion, TimeSpan max, CancellationToken cancellationToken) =>
            max <= TimeSpan.Zero ? Task.CompletedTask : signal.WaitAsync(seenVersion, max, cancellationToken);
    }
}
