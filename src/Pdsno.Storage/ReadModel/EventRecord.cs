using Pdsno.Abstractions.Events;

namespace Pdsno.Storage.ReadModel;

/// <summary>A topology event as the API shows it, whether it was read from the event log or arrived on the live stream (which does not carry <see cref="Aggregate"/>, the id of what produced it).</summary>
public sealed record EventRecord(
    long Sequence,
    TopologyEventType Type,
    string? Region,
    string? Device,
    string? Interface,
    string? Link,
    string? OldValue,
    string? NewValue,
    DateTimeOffset OccurredAt,
    string? Actor = null,
    string? Aggregate = null)
{
    /// <summary>The record of a live stream event, rendered exactly as the stored one would be.</summary>
    public static EventRecord From(TopologyEvent topologyEvent)
    {
        ArgumentNullException.ThrowIfNull(topologyEvent);
        return new(
            topologyEvent.Sequence,
            topologyEvent.Type,
            topologyEvent.Region,
            topologyEvent.Device,
            topologyEvent.Interface,
            topologyEvent.Link,
            topologyEvent.OldValue,
            topologyEvent.NewValue,
            topologyEvent.OccurredAt,
            topologyEvent.Actor);
    }
}
