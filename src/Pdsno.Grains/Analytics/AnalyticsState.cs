using System.Collections.Immutable;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Events;

namespace Pdsno.Grains.Analytics;

/// <summary>The durable state of a tenant's analytics grain: which link directions are predicted to congest and which are anomalous now.</summary>
[GenerateSerializer, Alias("pdsno.analytics-state")]
public sealed class AnalyticsState : IOutboxState
{
    /// <inheritdoc />
    [Id(0)] public long Version { get; set; }

    /// <inheritdoc />
    [Id(1)] public ImmutableArray<EventDraft> Outbox { get; set; } = [];

    /// <summary>Link directions (<c>link|direction</c>) predicted to congest, with the expected time raised.</summary>
    [Id(2)] public ImmutableDictionary<string, DateTimeOffset> Congested { get; set; } = ImmutableDictionary<string, DateTimeOffset>.Empty;

    /// <summary>Link directions whose last round found an anomaly: a lasting anomaly raises one event.</summary>
    [Id(3)] public ImmutableHashSet<string> Anomalous { get; set; } = [];

    /// <summary>Predicted directions handed to the closed loop (by <c>link|direction</c>), until they clear.</summary>
    [Id(4)] public ImmutableDictionary<string, CongestionSignal> Looped { get; set; } = ImmutableDictionary<string, CongestionSignal>.Empty;
}
