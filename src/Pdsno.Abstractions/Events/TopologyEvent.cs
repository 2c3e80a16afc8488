namespace Pdsno.Abstractions.Events;

/// <summary>What happened to the topology. Stored by name in the event log: never rename a member.</summary>
public enum TopologyEventType
{
    /// <summary>A device was discovered for the first time.</summary>
    DeviceAdded,

    /// <summary>A device's identity changed (name, vendor, OS, address, region).</summary>
    DeviceChanged,

    /// <summary>A device went ACTIVE, UNREACHABLE or INACTIVE.</summary>
    DeviceStatusChanged,

    /// <summary>An interface appeared on a known device.</summary>
    InterfaceAdded,

    /// <summary>An interface's state changed (oper or admin status, speed, name).</summary>
    InterfaceChanged,

    /// <summary>An interface disappeared from a device.</summary>
    InterfaceRemoved,

    /// <summary>Both ends of a new link saw each other for the first time.</summary>
    LinkAdded,

    /// <summary>A known link came back.</summary>
    LinkUp,

    /// <summary>A known link went down.</summary>
    LinkDown,

    /// <summary>A region was created.</summary>
    RegionAdded,

    /// <summary>A region was renamed.</summary>
    RegionChanged,

    /// <summary>A region was deleted.</summary>
    RegionRemoved,

    /// <summary>An interface's utilization (the higher of in and out) rose to the configured threshold.</summary>
    InterfaceUtilizationHigh,

    /// <summary>A high interface's utilization fell below the threshold minus the hysteresis.</summary>
    InterfaceUtilizationNormal,

    /// <summary>Audit: a credential was refused (unknown, malformed, wrong secret, revoked or expired).</summary>
    AuthenticationFailed,

    /// <summary>Audit: an authenticated caller asked for something its roles or regions do not allow.</summary>
    PermissionDenied,

    /// <summary>Audit: an API token was created.</summary>
    TokenCreated,

    /// <summary>Audit: an API token was revoked.</summary>
    TokenRevoked,

    /// <summary>Audit: a tenant was created.</summary>
    TenantCreated,

    /// <summary>A device's observed config began to differ from its intended config (the paths in the new value).</summary>
    ConfigDrift,

    /// <summary>A device's observed config matches its intended config again.</summary>
    ConfigDriftCleared,

    /// <summary>A new version of a device's intended config was applied and read back (old and new version).</summary>
    ConfigApplied,

    /// <summary>A device whose rollback failed became DEGRADED (the reason in the new value), or recovered.</summary>
    DeviceDegraded,

    /// <summary>A change was proposed.</summary>
    ChangeProposed,

    /// <summary>A change's patch was replaced; its approvals were withdrawn.</summary>
    ChangeUpdated,

    /// <summary>A change was approved (by one approver; old and new status).</summary>
    ChangeApproved,

    /// <summary>A change was rejected.</summary>
    ChangeRejected,

    /// <summary>A change's execution token was redeemed and execution started.</summary>
    ChangeExecuting,

    /// <summary>A change reached a final state (APPLIED, FAILED_ROLLED_BACK, FAILED_DEGRADED, CANCELLED, EXPIRED).</summary>
    ChangeCompleted,

    /// <summary>An emergency change was acknowledged by a global approver.</summary>
    EmergencyAcknowledged,

    /// <summary>An intent was created, changed state, rerouted or withdrawn (old and new state).</summary>
    IntentUpdated,

    /// <summary>A link direction's forecast reaches the policy threshold within the policy horizon (expected time, confidence and forecast as JSON in the new value).</summary>
    CongestionPredicted,

    /// <summary>A link direction predicted to congest no longer is (the expected time it had in the old value).</summary>
    CongestionCleared,

    /// <summary>A link direction's traffic departed from what its model expected (score and expected range as JSON in the new value).</summary>
    AnomalyDetected,

    /// <summary>The closed loop acted on a predicted congestion: which intents over the link moved, which stayed and why (JSON in the new value).</summary>
    IntentsReoptimized,
}

/// <summary>Which event types are the audit trail rather than topology: only admins read them.</summary>
public static class AuditEventTypes
{
    /// <summary>The audit event types.</summary>
    public static IReadOnlySet<TopologyEventType> All { get; } = new HashSet<TopologyEventType>
    {
        TopologyEventType.AuthenticationFailed,
        TopologyEventType.PermissionDenied,
        TopologyEventType.TokenCreated,
        TopologyEventType.TokenRevoked,
        TopologyEventType.TenantCreated,
    };

    /// <summary>The audit event type names as stored in the log.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(t => t.ToString())];
}

/// <summary>
/// An event before the log has given it a sequence. It is keyed by the aggregate that produced it and that
/// aggregate's state version, so writing it twice (a retry after a crash) stores it once.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.event-draft")]
public sealed record EventDraft(
    [property: Id(0)] TopologyEventType Type,
    [property: Id(1)] string AggregateId,
    [property: Id(2)] long AggregateVersion,
    [property: Id(3)] int Ordinal,
    [property: Id(4)] string? Region,
    [property: Id(5)] string? Device,
    [property: Id(6)] string? Interface,
    [property: Id(7)] string? Link,
    [property: Id(8)] string? OldValue,
    [property: Id(9)] string? NewValue,
    [property: Id(10)] DateTimeOffset OccurredAt,
    [property: Id(11)] string? Actor = null);

/// <summary>A durable topology event as subscribers see it, with its sequence in the tenant's event log.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.topology-event")]
public sealed record TopologyEvent(
    [property: Id(0)] string Tenant,
    [property: Id(1)] long Sequence,
    [property: Id(2)] TopologyEventType Type,
    [property: Id(3)] string? Region,
    [property: Id(4)] string? Device,
    [property: Id(5)] string? Interface,
    [property: Id(6)] string? Link,
    [property: Id(7)] string? OldValue,
    [property: Id(8)] string? NewValue,
    [property: Id(9)] DateTimeOffset OccurredAt,
    [property: Id(10)] string? Actor = null)
{
    /// <summary>The stored event for a draft once the log assigned <paramref name="sequence"/>.</summary>
    public static TopologyEvent From(string tenant, long sequence, EventDraft draft) =>
        new(tenant, sequence, draft.Type, draft.Region, draft.Device, draft.Interface, draft.Link, draft.OldValue, draft.NewValue, draft.OccurredAt, draft.Actor);
}
