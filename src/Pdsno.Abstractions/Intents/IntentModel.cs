using System.Collections.Immutable;
using Pdsno.Abstractions.Config;

namespace Pdsno.Abstractions.Intents;

/// <summary>Where an intent is in its life, as ONOS names the states. Stored by name: never rename a member.</summary>
public enum IntentStatus
{
    /// <summary>Asked for; not yet compiled.</summary>
    InstallReq,

    /// <summary>Being compiled against the topology and ledger.</summary>
    Compiling,

    /// <summary>Compiled; its change is being applied.</summary>
    Installing,

    /// <summary>Its routes are applied on every device of its path(s).</summary>
    Installed,

    /// <summary>A topology change broke its path; it is compiled again.</summary>
    Recompiling,

    /// <summary>It cannot be satisfied now, or its change failed; the reason says why. Retried when the topology changes.</summary>
    Failed,

    /// <summary>Withdrawal asked for.</summary>
    WithdrawReq,

    /// <summary>Its routes are being removed.</summary>
    Withdrawing,

    /// <summary>Final: its routes are removed and its reservations freed.</summary>
    Withdrawn,

    /// <summary>Its change waits for an approver.</summary>
    PendingApproval,

    /// <summary>Compiled, but in conflict with another intent (named in the reason).</summary>
    Conflict,
}

/// <summary>How intent statuses are spelled by the API, events and the read model.</summary>
public static class IntentStatuses
{
    /// <summary>The API's name of a status (<c>PENDING_APPROVAL</c>).</summary>
    public static string ApiName(this IntentStatus status) => status switch
    {
        IntentStatus.InstallReq => "INSTALL_REQ",
        IntentStatus.WithdrawReq => "WITHDRAW_REQ",
        IntentStatus.PendingApproval => "PENDING_APPROVAL",
        _ => status.ToString().ToUpperInvariant(),
    };
}

/// <summary>One transition in an intent's history, with the change it concerns when there is one.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-transition")]
public sealed record IntentTransition(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] IntentStatus? From,
    [property: Id(2)] IntentStatus To,
    [property: Id(3)] string Actor,
    [property: Id(4)] string? Note,
    [property: Id(5)] string? Change = null);

/// <summary>The routes an intent holds on one device.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-device-routes")]
public sealed record IntentRoutes(
    [property: Id(0)] string Device,
    [property: Id(1)] ImmutableArray<StaticRoute> Routes);

/// <summary>A stored intent as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-view")]
public sealed record IntentView(
    [property: Id(0)] string Id,
    [property: Id(1)] IntentSpec Spec,
    [property: Id(2)] IntentStatus Status,
    [property: Id(3)] string? Reason,
    [property: Id(4)] IntentPath? Path,
    [property: Id(5)] IntentPath? Backup,
    [property: Id(6)] long ReservedBps,
    [property: Id(7)] ImmutableArray<string> Changes,
    [property: Id(8)] ImmutableArray<IntentTransition> History,
    [property: Id(9)] ImmutableArray<IntentRoutes> Installed,
    [property: Id(10)] ImmutableArray<string> Regions,
    [property: Id(11)] string Creator,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset UpdatedAt,
    [property: Id(14)] long Version);

/// <summary>
/// Where the tenant's engine placed an intent: the input errors that stopped it (nothing stored), or its compilation,
/// whether it holds its reservations, and why not. A placement the closed loop made says why (<see cref="Cause"/>) and
/// whether its change must wait for an approver (<see cref="Review"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-placement")]
public sealed record IntentPlacement(
    [property: Id(0)] string Intent,
    [property: Id(1)] ImmutableArray<IntentInputError> Errors,
    [property: Id(2)] bool Placed,
    [property: Id(3)] bool Conflict,
    [property: Id(4)] string? Reason,
    [property: Id(5)] IntentCompilation? Compilation,
    [property: Id(6)] ImmutableArray<string> Regions,
    [property: Id(7)] string? Cause = null,
    [property: Id(8)] bool Review = false);

/// <summary>What an intent command did: the intent as it is now, or the input errors (each naming its field).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-outcome")]
public sealed record IntentOutcome(
    [property: Id(0)] IntentView? Intent,
    [property: Id(1)] ImmutableArray<IntentInputError> Errors)
{
    /// <summary>A refusal naming one field.</summary>
    public static IntentOutcome Refuse(string field, string message) => new(null, [new IntentInputError(field, message)]);
}

/// <summary>What intents reserve on one link.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.link-reservation")]
public sealed record LinkReservation(
    [property: Id(0)] string Link,
    [property: Id(1)] long ReservedBps,
    [property: Id(2)] ImmutableArray<string> Intents);
