using GraphQL.Types;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Intents;

/// <summary>GraphQL <c>IntentEvent</c>: one transition of an intent, from the durable event log.</summary>
public sealed class IntentEventGraphType : ObjectGraphType<EventRecord>
{
    /// <summary>The prefix of an intent's aggregate id in the event log.</summary>
    public const string AggregatePrefix = "intent:";

    /// <summary>Declares the fields.</summary>
    public IntentEventGraphType()
    {
        Name = "IntentEvent";
        Description = "An intent's transition (created, installed, rerouted, failed, withdrawn); resume a stream with `since: <sequence>`.";
        Field(x => x.Sequence, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<StringGraphType>>("intentKey").Resolve(c => KeyOf(c.Source));
        Field<NonNullGraphType<IdGraphType>>("intentId").Resolve(c => GlobalId.Encode(GlobalId.Intent, KeyOf(c.Source)));
        Field(x => x.Region, nullable: true).Description("The region key (an intent with endpoints in two regions has one event per region).");
        Field("oldState", x => x.OldValue, nullable: true);
        Field("newState", x => x.NewValue, nullable: true);
        Field(x => x.Actor, nullable: true);
        Field(x => x.OccurredAt);
        Field<IntentGraphType>("intent").Description("The intent as it is now (null when you do not see it).").Resolve(c => c.Loaders().Intents.Load(KeyOf(c.Source)));
    }

    /// <summary>The intent key of an intent event.</summary>
    public static string KeyOf(EventRecord e) =>
        e?.Aggregate is { } a && a.StartsWith(AggregatePrefix, StringComparison.Ordinal) ? a[AggregatePrefix.Length..] : "";
}
