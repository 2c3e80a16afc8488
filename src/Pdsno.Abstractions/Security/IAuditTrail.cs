using Pdsno.Abstractions.Events;

namespace Pdsno.Abstractions.Security;

/// <summary>Where refusals (failed authentications, denied permissions) are recorded, without blocking the caller.</summary>
public interface IAuditTrail
{
    /// <summary>Records a refusal in <paramref name="tenant"/>'s event log; never throws and never blocks.</summary>
    void Refused(string tenant, TopologyEventType type, string actor, string detail);
}
