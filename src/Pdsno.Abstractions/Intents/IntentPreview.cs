using System.Collections.Immutable;
using Pdsno.Abstractions.Config;

namespace Pdsno.Abstractions.Intents;

/// <summary>A path: its devices in order from the intent's A end and the links between them.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-path")]
public sealed record IntentPath(
    [property: Id(0)] ImmutableArray<string> Devices,
    [property: Id(1)] ImmutableArray<string> Links);

/// <summary>A link's reservable capacity (speed x headroom) and what intents reserve on it before and after.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.link-load")]
public sealed record LinkLoad(
    [property: Id(0)] string Link,
    [property: Id(1)] long CapacityBps,
    [property: Id(2)] long ReservedBeforeBps,
    [property: Id(3)] long ReservedAfterBps);

/// <summary>Why two intents cannot both hold. Stored by name: never rename a member.</summary>
public enum ConflictKind
{
    /// <summary>The ledger cannot fit the intent at its priority: the other intent holds the capacity.</summary>
    Capacity,

    /// <summary>Two compliance intents set one key of one device to different values.</summary>
    ComplianceKey,

    /// <summary>A connectivity path runs through an interface a compliance intent disables.</summary>
    DisabledInterface,
}

/// <summary>A conflict with another intent, named, and where it is.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-conflict")]
public sealed record IntentConflict(
    [property: Id(0)] ConflictKind Kind,
    [property: Id(1)] string OtherIntent,
    [property: Id(2)] string Message,
    [property: Id(3)] string? Device = null,
    [property: Id(4)] string? Link = null);

/// <summary>What an intent would set on one device.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-device-patch")]
public sealed record DevicePatch(
    [property: Id(0)] string Device,
    [property: Id(1)] ConfigPatch Patch);

/// <summary>
/// An intent compiled against the live topology and ledger: its path(s) or why there is none, the load it puts on
/// each link it uses, conflicts with other intents, the per-device patches that install it, and the lower-priority
/// intents it displaces.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-compilation")]
public sealed record IntentCompilation(
    [property: Id(0)] string Intent,
    [property: Id(1)] bool Feasible,
    [property: Id(2)] string? Reason,
    [property: Id(3)] IntentPath? Path,
    [property: Id(4)] IntentPath? Backup,
    [property: Id(5)] long ReservedBps,
    [property: Id(6)] ImmutableArray<LinkLoad> Links,
    [property: Id(7)] ImmutableArray<IntentConflict> Conflicts,
    [property: Id(8)] ImmutableArray<DevicePatch> Patches,
    [property: Id(9)] ImmutableArray<string> Displaced);

/// <summary>Bad input of an intent: the input path of the field (<c>a.device</c>) and what is wrong with it.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-input-error")]
public sealed record IntentInputError(
    [property: Id(0)] string Field,
    [property: Id(1)] string Message);

/// <summary>A preview: the compilation, or the input errors that stopped it (never both).</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-preview")]
public sealed record IntentPreview(
    [property: Id(0)] IntentCompilation? Compilation,
    [property: Id(1)] ImmutableArray<IntentInputError> Errors);

/// <summary>An intent that would move to another path.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-reroute")]
public sealed record IntentReroute(
    [property: Id(0)] string Intent,
    [property: Id(1)] IntentPath OldPath,
    [property: Id(2)] IntentPath NewPath);

/// <summary>An intent that would fail, and why.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-failure")]
public sealed record IntentFailure(
    [property: Id(0)] string Intent,
    [property: Id(1)] string Reason);

/// <summary>
/// What would happen if some links and devices failed now: the intents that reroute, those that fail, and the reserved
/// load of every link whose load would change. Or the input errors (unknown links or devices).
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.failure-preview")]
public sealed record FailurePreview(
    [property: Id(0)] ImmutableArray<IntentReroute> Rerouted,
    [property: Id(1)] ImmutableArray<IntentFailure> Failed,
    [property: Id(2)] ImmutableArray<LinkLoad> Links,
    [property: Id(3)] ImmutableArray<IntentInputError> Errors);
