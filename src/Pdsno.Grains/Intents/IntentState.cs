using System.Collections.Immutable;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Events;

namespace Pdsno.Grains.Intents;

/// <summary>The durable state of an intent grain: the intent as shown, and the change it waits on with the routes that change installs.</summary>
[GenerateSerializer, Alias("pdsno.intent-state")]
public sealed class IntentState : IOutboxState
{
    /// <inheritdoc />
    [Id(0)] public long Version { get; set; }

    /// <inheritdoc />
    [Id(1)] public ImmutableArray<EventDraft> Outbox { get; set; } = [];

    /// <summary>The intent, null until created.</summary>
    [Id(2)] public IntentView? Intent { get; set; }

    /// <summary>The owned change that waits for an approver, null when none does.</summary>
    [Id(3)] public string? PendingChange { get; set; }

    /// <summary>The routes the intent holds once <see cref="PendingChange"/> is applied.</summary>
    [Id(4)] public ImmutableArray<IntentRoutes> PendingRoutes { get; set; } = [];

    /// <summary>The devices a compliance intent selected at its last compile, so the read model finds it by device.</summary>
    [Id(5)] public ImmutableArray<string> Selected { get; set; } = [];

    /// <summary>
    /// A compliance intent with more devices to fix than one change may carry: how the next part is proposed once
    /// <see cref="PendingChange"/> is applied.
    /// </summary>
    [Id(6)] public ComplianceRest Rest { get; set; }
}

/// <summary>What follows a compliance intent's pending change that carries only part of the devices to fix.</summary>
public enum ComplianceRest
{
    /// <summary>Nothing: the change carries every device that does not comply.</summary>
    None,

    /// <summary>The next part of the intent's installation.</summary>
    Install,

    /// <summary>The next part of a remediation.</summary>
    Remediate,
}
