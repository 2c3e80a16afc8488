using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pdsno.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>Counts a token's open WebSocket connections and running subscriptions on this silo, within the configured bounds.</summary>
public sealed class ConnectionQuotas(IOptions<SecurityOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>The connection limit per token.</summary>
    public int MaxConnections => options.Value.RateLimits.WebSocketsPerToken;

    /// <summary>The subscription limit per token.</summary>
    public int MaxSubscriptions => options.Value.RateLimits.SubscriptionsPerToken;

    /// <summary>Takes a connection slot of <paramref name="tokenId"/>; null when the token has all its connections open.</summary>
    public IDisposable? TryOpenConnection(string tokenId) => TryTake(_connections, tokenId, MaxConnections);

    /// <summary>Takes a subscription slot of <paramref name="tokenId"/>; null when the token runs all it may.</summary>
    public IDisposable? TryStartSubscription(string tokenId) => TryTake(_subscriptions, tokenId, MaxSubscriptions);

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
