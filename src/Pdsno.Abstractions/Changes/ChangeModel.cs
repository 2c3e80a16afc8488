using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Pdsno.Abstractions.Config;

namespace Pdsno.Abstractions.Changes;

/// <summary>Where a change is in its life. Stored by name: never rename a member.</summary>
public enum ChangeStatus
{
    /// <summary>Waiting for the approvals its sensitivity needs.</summary>
    PendingApproval,

    /// <summary>Approved; its execution token waits to be redeemed.</summary>
    Approved,

    /// <summary>The token was redeemed; targets are being applied.</summary>
    Executing,

    /// <summary>A target failed; the applied targets are being restored.</summary>
    RollingBack,

    /// <summary>Final: every target applied and read back.</summary>
    Applied,

    /// <summary>Final: a target failed and every applied target was restored.</summary>
    FailedRolledBack,

    /// <summary>Final: a target failed and a restore failed too; that device is DEGRADED.</summary>
    FailedDegraded,

    /// <summary>Final: an approver rejected it.</summary>
    Rejected,

    /// <summary>Final: cancelled before execution.</summary>
    Cancelled,

    /// <summary>Final: its execution token expired before it was redeemed.</summary>
    Expired,
}

/// <summary>How much scrutiny a change needs. Stored by name: never rename a member.</summary>
public enum Sensitivity
{
    /// <summary>Descriptions, location, contact: approved by the region at once.</summary>
    Low,

    /// <summary>Needs a region approver of every region it touches.</summary>
    Medium,

    /// <summary>Needs a global approver.</summary>
    High,

    /// <summary>Flagged by the operator: approved at once under a rate limit, acknowledged afterwards.</summary>
    Emergency,
}

/// <summary>What an approver decided.</summary>
public enum ApprovalDecision
{
    /// <summary>Approved.</summary>
    Approved,

    /// <summary>Rejected.</summary>
    Rejected,
}

/// <summary>Statuses a change never leaves.</summary>
public static class ChangeStatuses
{
    /// <summary>True for APPLIED, FAILED_ROLLED_BACK, FAILED_DEGRADED, REJECTED, CANCELLED and EXPIRED.</summary>
    public static bool IsFinal(this ChangeStatus status) =>
        status is ChangeStatus.Applied or ChangeStatus.FailedRolledBack or ChangeStatus.FailedDegraded
            or ChangeStatus.Rejected or ChangeStatus.Cancelled or ChangeStatus.Expired;

    /// <summary>The API's name of a status (<c>PENDING_APPROVAL</c>), as events and the read model carry it.</summary>
    public static string ApiName(this ChangeStatus status) => status switch
    {
        ChangeStatus.PendingApproval => "PENDING_APPROVAL",
        ChangeStatus.RollingBack => "ROLLING_BACK",
        ChangeStatus.FailedRolledBack => "FAILED_ROLLED_BACK",
        ChangeStatus.FailedDegraded => "FAILED_DEGRADED",
        _ => status.ToString().ToUpperInvariant(),
    };
}

/// <summary>One device a proposal changes, and how.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-target-input")]
public sealed record ChangeTargetInput(
    [property: Id(0)] string Device,
    [property: Id(1)] ConfigPatch Patch);

/// <summary>
/// What an operator proposes (or replaces a change's proposal with). <see cref="Review"/> makes a change that would be
/// LOW wait for an approver as a MEDIUM one does (the closed loop's proposals, where the region's policy says so).
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-proposal")]
public sealed record ChangeProposal(
    [property: Id(0)] string Title,
    [property: Id(1)] string? Reason,
    [property: Id(2)] ImmutableArray<ChangeTargetInput> Targets,
    [property: Id(3)] bool Emergency = false,
    [property: Id(4)] bool Execute = false,
    [property: Id(5)] string? Intent = null,
    [property: Id(6)] bool Reroute = false,
    [property: Id(7)] ImmutableArray<IntentTargets> Intents = default,
    [property: Id(8)] bool Review = false);

/// <summary>
/// One intent whose routes a change installs, and the devices it changes: a change that installs several intents at once
/// counts devices and regions per intent, as each intent's own change would.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-targets")]
public sealed record IntentTargets(
    [property: Id(0)] string Intent,
    [property: Id(1)] ImmutableArray<string> Devices);

/// <summary>What happened when one target was applied or restored.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-target-result")]
public sealed record ChangeTargetResult(
    [property: Id(0)] string Status,
    [property: Id(1)] string? Message,
    [property: Id(2)] long? Version,
    [property: Id(3)] DateTimeOffset At);

/// <summary>
/// One target of a change as the API shows it: the patch, the hashes of the configs before and after, the diff and the
/// outcome. The whole configs are kept apart, written once with the plan, so a step of a change of devices holding
/// thousands of routes stores its progress and not megabytes of config each time.
/// </summary>
/// <param name="Device">The device's key.</param>
/// <param name="Name">The device's name.</param>
/// <param name="Region">The device's region.</param>
/// <param name="Patch">What the change sets on the device.</param>
/// <param name="Before">The whole config before: only in changes stored before the plan was kept apart; null since.</param>
/// <param name="After">The whole config after: as <paramref name="Before"/>.</param>
/// <param name="Diff">Before -> after, per setting.</param>
/// <param name="UnifiedDiff">The same difference as a unified diff of the config text.</param>
/// <param name="Result">How applying it went.</param>
/// <param name="Rollback">How restoring it went, if it was restored.</param>
/// <param name="BeforeHash">SHA-256 of the config before.</param>
/// <param name="AfterHash">SHA-256 of the config after.</param>
[GenerateSerializer, Immutable, Alias("pdsno.change-target")]
public sealed record ChangeTarget(
    [property: Id(0)] string Device,
    [property: Id(1)] string Name,
    [property: Id(2)] string Region,
    [property: Id(3)] ConfigPatch Patch,
    [property: Id(4)] DeviceConfig? Before,
    [property: Id(5)] DeviceConfig? After,
    [property: Id(6)] ImmutableArray<ConfigDiffEntry> Diff,
    [property: Id(7)] string UnifiedDiff,
    [property: Id(8)] ChangeTargetResult? Result = null,
    [property: Id(9)] ChangeTargetResult? Rollback = null,
    [property: Id(10)] string? BeforeHash = null,
    [property: Id(11)] string? AfterHash = null)
{
    /// <summary>SHA-256 of the config the change was diffed against.</summary>
    [JsonIgnore]
    public string? BeforeDigest => BeforeHash ?? Before?.Hash();

    /// <summary>SHA-256 of the config the change applies.</summary>
    [JsonIgnore]
    public string? AfterDigest => AfterHash ?? After?.Hash();
}

/// <summary>A link a change takes down: an interface of either end is disabled.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.link-impact")]
public sealed record LinkImpact(
    [property: Id(0)] string Link,
    [property: Id(1)] string DeviceA,
    [property: Id(2)] string InterfaceA,
    [property: Id(3)] string DeviceB,
    [property: Id(4)] string InterfaceB);

/// <summary>What a change does to the live topology.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-impact")]
public sealed record ChangeImpact(
    [property: Id(0)] ImmutableArray<LinkImpact> LinksDown,
    [property: Id(1)] ImmutableArray<string> DevicesIsolated,
    [property: Id(2)] ImmutableArray<string> Intents)
{
    /// <summary>No impact.</summary>
    public static ChangeImpact None { get; } = new([], [], []);
}

/// <summary>An approval or rejection, with the approver and comment.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-approval")]
public sealed record ChangeApproval(
    [property: Id(0)] string TokenId,
    [property: Id(1)] string Approver,
    [property: Id(2)] ApprovalDecision Decision,
    [property: Id(3)] string? Comment,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] ImmutableArray<string> Regions,
    [property: Id(6)] bool Global);

/// <summary>The execution token as anyone may see it: never a secret, only its binding and whether it was used.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.execution-token")]
public sealed record ExecutionToken(
    [property: Id(0)] string Id,
    [property: Id(1)] string Hash,
    [property: Id(2)] ImmutableArray<string> Devices,
    [property: Id(3)] DateTimeOffset IssuedAt,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] DateTimeOffset? RedeemedAt = null,
    [property: Id(6)] string? RedeemedBy = null);

/// <summary>One transition in a change's history.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-transition")]
public sealed record ChangeTransition(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] ChangeStatus? From,
    [property: Id(2)] ChangeStatus To,
    [property: Id(3)] string Actor,
    [property: Id(4)] string? Note);

/// <summary>A change as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-view")]
public sealed record ChangeView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string? Reason,
    [property: Id(3)] ChangeStatus Status,
    [property: Id(4)] Sensitivity Sensitivity,
    [property: Id(5)] ImmutableArray<string> Reasons,
    [property: Id(6)] bool Emergency,
    [property: Id(7)] DateTimeOffset? AcknowledgedAt,
    [property: Id(8)] string? AcknowledgedBy,
    [property: Id(9)] string Proposer,
    [property: Id(10)] ImmutableArray<ChangeTarget> Targets,
    [property: Id(11)] ChangeImpact Impact,
    [property: Id(12)] ImmutableArray<ChangeApproval> Approvals,
    [property: Id(13)] ExecutionToken? Token,
    [property: Id(14)] ImmutableArray<ChangeTransition> History,
    [property: Id(15)] string? ApprovalsNeeded,
    [property: Id(16)] string? Failure,
    [property: Id(17)] DateTimeOffset CreatedAt,
    [property: Id(18)] DateTimeOffset UpdatedAt,
    [property: Id(19)] long Version,
    [property: Id(20)] string? Intent = null,
    [property: Id(21)] ImmutableArray<string> Intents = default)
{
    /// <summary>The regions the change touches, in order.</summary>
    public ImmutableArray<string> Regions => [.. Targets.Select(t => t.Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every intent whose routes the change installs (changes stored before batches name one, in <see cref="Intent"/>).</summary>
    public ImmutableArray<string> IntentKeys => !Intents.IsDefaultOrEmpty ? Intents : Intent is null ? [] : [Intent];
}

/// <summary>Why a change request was refused. Stored by name: never rename a member.</summary>
public enum ChangeRefusalCode
{
    /// <summary>The input is invalid (the field says where).</summary>
    BadInput,

    /// <summary>The change or a device does not exist for the caller.</summary>
    NotFound,

    /// <summary>The change is not in a state that allows the request.</summary>
    Conflict,

    /// <summary>The caller's roles or regions do not allow the request.</summary>
    Forbidden,

    /// <summary>The change lacks approvals.</summary>
    NotApproved,

    /// <summary>The execution token was redeemed already.</summary>
    TokenSpent,

    /// <summary>The execution token expired.</summary>
    TokenExpired,

    /// <summary>The change was edited after approval (or a target device changed since), so its approval no longer holds.</summary>
    EditedAfterApproval,

    /// <summary>A target device is locked by another change.</summary>
    DeviceLocked,

    /// <summary>The tenant's emergency rate limit is used up.</summary>
    RateLimited,
}

/// <summary>One reason a request was refused, with the input path it concerns (e.g. <c>targets, 1, patch, mtu</c>).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-refusal")]
public sealed record ChangeRefusal(
    [property: Id(0)] ChangeRefusalCode Code,
    [property: Id(1)] string Message,
    [property: Id(2)] ImmutableArray<string> Field);

/// <summary>The answer of a change grain: the change as it now is, or why nothing was done.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-outcome")]
public sealed record ChangeOutcome(
    [property: Id(0)] ChangeView? Change,
    [property: Id(1)] ImmutableArray<ChangeRefusal> Refusals)
{
    /// <summary>A success.</summary>
    public static ChangeOutcome Ok(ChangeView change) => new(change, []);

    /// <summary>A refusal.</summary>
    public static ChangeOutcome Refuse(ChangeRefusalCode code, string message, params string[] field) => new(null, [new ChangeRefusal(code, message, [.. field])]);

    /// <summary>A refusal for several reasons.</summary>
    public static ChangeOutcome Refuse(IEnumerable<ChangeRefusal> refusals) => new(null, [.. refusals]);
}
