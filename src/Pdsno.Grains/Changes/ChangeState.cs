using System.Collections.Immutable;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Events;

namespace Pdsno.Grains.Changes;

/// <summary>The durable state of a change grain: the change as shown, who wrote it, and where an execution is.</summary>
[GenerateSerializer, Alias("pdsno.change-state")]
public sealed class ChangeState : IOutboxState
{
    /// <inheritdoc />
    [Id(0)] public long Version { get; set; }

    /// <inheritdoc />
    [Id(1)] public ImmutableArray<EventDraft> Outbox { get; set; } = [];

    /// <summary>The change, null until proposed.</summary>
    [Id(2)] public ChangeView? Change { get; set; }

    /// <summary>The tokens that proposed or edited the change: none of them may approve it.</summary>
    [Id(3)] public ImmutableArray<string> Authors { get; set; } = [];

    /// <summary>True when an edit withdrew approvals the change had.</summary>
    [Id(4)] public bool EditedAfterApproval { get; set; }

    /// <summary>While executing: the target being applied; while rolling back: the target being restored (then the ones before it).</summary>
    [Id(5)] public int Step { get; set; }

    /// <summary>
    /// While executing: how many targets from <see cref="Step"/> on are being applied at once. Stored before they are
    /// touched, so an execution resumed after a crash applies that whole wave again (applying a config twice is harmless).
    /// </summary>
    [Id(6)] public int Wave { get; set; }

    /// <summary>The plan in <see cref="ChangePlanState"/> that holds the whole configs of the change's targets.</summary>
    [Id(7)] public string? PlanId { get; set; }
}

/// <summary>
/// The whole configs of a change's targets before and after, in target order: written once with each plan (proposal or
/// edit), apart from <see cref="ChangeState"/>, which every step writes again.
/// </summary>
[GenerateSerializer, Alias("pdsno.change-plan-state")]
public sealed class ChangePlanState
{
    /// <summary>
    /// The plan the change's state names and, while an edit is being stored, the edit's: an edit whose commit fails
    /// leaves the change with the plan it had.
    /// </summary>
    [Id(0)] public ImmutableArray<StoredPlan> Plans { get; set; } = [];
}

/// <summary>One plan: an entry per target of the change as planned, in target order.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.stored-plan")]
public sealed record StoredPlan(
    [property: Id(0)] string Id,
    [property: Id(1)] ImmutableArray<PlannedConfig> Targets);

/// <summary>One target's device and its whole config before and after the change.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.planned-config")]
public sealed record PlannedConfig(
    [property: Id(0)] string Device,
    [property: Id(1)] DeviceConfig Before,
    [property: Id(2)] DeviceConfig After);
