using System.Text;
using System.Text.Json;
using Pdsno.Abstractions.Events;
using Pdsno.Storage.ReadModel;

namespace Pdsno.Webhooks.Delivery;

/// <summary>
/// The JSON a delivery carries: <c>{"webhookId": ..., "events": [...]}</c>, each event with the fields of the
/// subscription's <c>TopologyEvent</c> (type in SCREAMING_CASE). One event per request unless the webhook batches.
/// </summary>
public static class WebhookBody
{
    /// <summary>The API name of an event type, as the GraphQL enum spells it (<c>DEVICE_STATUS_CHANGED</c>).</summary>
    public static string TypeName(TopologyEventType type)
    {
        var name = type.ToString();
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary>The event type of an API name, or null when there is none such.</summary>
    public static TopologyEventType? ParseType(string name) =>
        Enum.GetValues<TopologyEventType>().Cast<TopologyEventType?>().FirstOrDefault(t => TypeName(t!.Value) == name);

    /// <summary>
    /// The body of the longest prefix of <paramref name="events"/> (at least one event) that fits in <paramref name="maxBytes"/>,
    /// and how many events it holds.
    /// </summary>
    public static (byte[] Body, int Count) Build(string webhookId, IReadOnlyList<EventRecord> events, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("a delivery carries at least one event", nameof(events));
        }

        var count = events.Count;
        while (true)
        {
            var body = Write(webhookId, events, count);
            if (body.Length <= maxBytes || count == 1)
            {
                return (body, count);
            }

            count = Math.Max(1, count / 2);
        }
    }

    private static byte[] Write(string webhookId, IReadOnlyList<EventRecord> events, int count)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("webhookId", webhookId);
            json.WriteStartArray("events");
            for (var i = 0; i < count; i++)
            {
                var e = events[i];
                json.WriteStartObject();
                json.WriteNumber("sequence", e.Sequence);
                json.WriteString("type", TypeName(e.Type));
                json.WriteString("region", e.Region);
                json.WriteString("device", e.Device);
                json.WriteString("interface", e.Interface);
                json.WriteString("link", e.Link);
                json.WriteString("oldValue", e.OldValue);
                json.WriteString("newValue", e.NewValue);
                json.WriteString("occurredAt", e.OccurredAt);
                json.WriteString("actor", e.Actor);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
