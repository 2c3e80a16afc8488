using Pdsno.Abstractions.Events;

namespace Pdsno.Abstractions.Security;

/// <summary>One audited fact before it is written.</summary>
public sealed record AuditEntry(string Tenant, TopologyEventType Type, string Actor, string Detail, string? Region = null);

/// <summary>
/// The tenant's append-only audit trail: administration is written before it is reported done, refusals (failed
/// authentications, denied permissions) are recorded without blocking the caller.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Writes an entry and completes once it is durable.</summary>
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Records a refusal in <paramref name="tenant"/>'s event log; never throws and never blocks.</summary>
    void Refused(string tenant, TopologyEventType type, string actor, string detail);
}
