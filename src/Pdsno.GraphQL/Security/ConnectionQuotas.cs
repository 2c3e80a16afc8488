using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pdsno.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>Counts a token's open WebSocket connections and running subscriptions, and a tenant's subscriptions, on this silo, within the configured bounds.</summary>
public sealed class ConnectionQuotas(IOptions<SecurityOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _tenantSubscriptions = new(StringComparer.Ordinal);

    /// <summary>The connection limit per token.</summary>
    public int MaxConnections => options.Value.RateLimits.WebSocketsPerToken;

    /// <summary>The subscription limit per token.</summary>
    public int MaxSubscriptions => options.Value.RateLimits.SubscriptionsPerToken;

    /// <summary>The subscription limit per tenant.</summary>
    public int MaxTenantSubscriptions => options.Value.RateLimits.SubscriptionsPerTenant;

    /// <summary>Takes a connection slot of <paramref name="tokenId"/>; null when the token has all its connections open.</summary>
    public IDisposable? TryOpenConnection(string tokenId) => TryTake(_connections, tokenId, MaxConnections);

    /// <summary>
    /// Takes a subscription slot of <paramref name="tokenId"/> and one of its <paramref name="tenant"/>; null and the
    /// limit that refused (<c>token</c> or <c>tenant</c>) when either runs all it may.
    /// </summary>
    public (IDisposable? Slot, string? Refused) TryStartSubscription(string tenant, string tokenId)
    {
        if (TryTake(_tenantSubscriptions, tenant, MaxTenantSubscriptions) is not { } tenantSlot)
        {
            return (null, "tenant");
        }

        if (TryTake(_subscriptions, tokenId, MaxSubscriptions) is not { } tokenSlot)
        {
            tenantSlot.Dispose();
            return (null, "token");
        }

        return (new DisposeBoth(tenantSlot, tokenSlot), null);
    }

    private static Slot? TryTake(ConcurrentDictionary<string, int> counts, string tokenId, int limit)
    {
        while (true)
        {
            var current = counts.GetOrAdd(tokenId, 0);
            if (current >= limit)
            {
                return null;
            }

            if (counts.TryUpdate(tokenId, current + 1, current))
            {
                return new Slot(counts, tokenId);
            }
        }
    }

    private sealed class Slot(ConcurrentDictionary<string, int> counts, string tokenId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                counts.AddOrUpdate(tokenId, 0, (_, n) => Math.Max(0, n - 1));
            }
        }
    }
}

/// <summary>Releases two resources as one: the second even when the first throws.</summary>
internal sealed class DisposeBoth(IDisposable first, IDisposable second) : IDisposable
{
    public void Dispose()
    {
        try
        {
            first.Dispose();
        }
        finally
        {
            second.Dispose();
        }
    }
}
