using GraphQL.Types;
using Pdsno.GraphQL.Enums;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Changes;

/// <summary>GraphQL <c>ChangeEvent</c>: one transition of a change, from the durable event log.</summary>
public sealed class ChangeEventGraphType : ObjectGraphType<EventRecord>
{
    /// <summary>The prefix of a change's aggregate id in the event log.</summary>
    public const string AggregatePrefix = "change:";

    /// <summary>Declares the fields.</summary>
    public ChangeEventGraphType()
    {
        Name = "ChangeEvent";
        Description = "A change's transition; resume a stream with `since: <sequence>`.";
        Field(x => x.Sequence, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.Type, type: typeof(NonNullGraphType<TopologyEventTypeGraphType>));
        Field<NonNullGraphType<StringGraphType>>("changeKey").Resolve(c => KeyOf(c.Source));
        Field<NonNullGraphType<IdGraphType>>("changeId").Resolve(c => GlobalId.Encode(GlobalId.Change, KeyOf(c.Source)));
        Field(x => x.Region, nullable: true).Description("The region key (a change of several regions has one event per region).");
        Field("oldStatus", x => x.OldValue, nullable: true);
        Field("newStatus", x => x.NewValue, nullable: true);
        Field(x => x.Actor, nullable: true);
        Field(x => x.OccurredAt);
        Field<ChangeGraphType>("change").Description("The change as it is now.").Resolve(c => c.Loaders().Changes.Load(KeyOf(c.Source)));
    }

    /// <summary>The change key of a change event.</summary>
    public static string KeyOf(EventRecord e) =>
        e?.Aggregate is { } a && a.StartsWith(AggregatePrefix, StringComparison.Ordinal) ? a[AggregatePrefix.Length..] : "";
}
