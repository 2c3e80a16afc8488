using System.Collections.Concurrent;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Security;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>The audit trail in memory: every entry and refusal as it arrives, so a test can read what was recorded.</summary>
public sealed class InMemoryAuditTrail : IAuditTrail
{
    private readonly ConcurrentQueue<AuditEntry> _entries = new();

    /// <summary>What the tenant's trail holds, oldest first.</summary>
    public IReadOnlyList<AuditEntry> Of(string tenant) => [.. _entries.Where(e => e.Tenant == tenant)];

    /// <inheritdoc />
    public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Enqueue(entry);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Refused(string tenant, TopologyEventType type, string actor, string detail) =>
        _entries.Enqueue(new AuditEntry(tenant, type, actor, detail));
}
