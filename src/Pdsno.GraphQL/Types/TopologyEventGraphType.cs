using GraphQL.Types;
using Pdsno.GraphQL.Enums;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>TopologyEvent</c>: one entry of the durable event log, as replayed or streamed live.</summary>
public sealed class TopologyEventGraphType : ObjectGraphType<EventRecord>
{
    /// <summary>Declares the event fields.</summary>
    public TopologyEventGraphType()
    {
        Name = "TopologyEvent";
        Description = "A durable topology event; resume a stream with `since: <sequence>`.";
        Field(x => x.Sequence, type: typeof(NonNullGraphType<LongGraphType>)).Description("The event's position in the tenant's event log.");
        Field(x => x.Type, type: typeof(NonNullGraphType<TopologyEventTypeGraphType>));
        Field(x => x.Region, nullable: true).Description("The region key.");
        Field(x => x.Device, nullable: true).Description("The device key.");
        Field(x => x.Interface, nullable: true).Description("The interface name.");
        Field(x => x.Link, nullable: true).Description("The link key.");
        Field(x => x.OldValue, nullable: true);
        Field(x => x.NewValue, nullable: true);
        Field(x => x.OccurredAt);
        Field(x => x.Actor, nullable: true).Description("Audit events: who acted (a token's id and name, or system); never a secret.");
    }
}
