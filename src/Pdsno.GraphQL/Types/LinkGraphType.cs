using GraphQL.Types;
using Pdsno.GraphQL.Enums;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>Link</c>: a cable between two interfaces, both ends having seen each other.</summary>
public sealed class LinkGraphType : ObjectGraphType<LinkRecord>
{
    /// <summary>Declares the link fields.</summary>
    public LinkGraphType()
    {
        Name = "Link";
        Description = "A link between two device interfaces.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is LinkRecord;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(GlobalId.Link, c.Source.Key));
        Field(x => x.Key).Description("The link key, devA:ifA|devB:ifB.");
        Field(x => x.Status, type: typeof(NonNullGraphType<LinkStatusGraphType>));
        Field(x => x.StatusSince);
        Field(x => x.SpeedBps, type: typeof(NonNullGraphType<LongGraphType>));
        Field<RegionGraphType>("region").Resolve(c => c.Loaders().Regions.Load(c.Source.Region));
        Field("deviceAKey", x => x.DeviceA).Description("The key of the A-end device.");
        Field(x => x.InterfaceA);
        Field("deviceBKey", x => x.DeviceB).Description("The key of the B-end device.");
        Field(x => x.InterfaceB);
        Field<DeviceGraphType>("deviceA").Resolve(c => c.Loaders().Devices.Load(c.Source.DeviceA));
        Field<DeviceGraphType>("deviceB").Resolve(c => c.Loaders().Devices.Load(c.Source.DeviceB));
        Analytics.AnalyticsFields.AddLinkFields(this);
        Field<NonNullGraphType<LongGraphType>>("reservedBps")
            .Description("What the tenant's intents reserve on the link (its capacity for intents is its speed times the headroom).")
            .Resolve(c => c.Loaders().Reservations.Load(c.Source.Key).Then(r => r?.ReservedBps ?? 0));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Intents.IntentGraphType>>>>("intents")
            .Description("The intents whose path or backup path runs over the link (those you see).")
            .Resolve(c => c.Loaders().Reservations.Load(c.Source.Key).ThenLoad(r => c.Loaders().Intents.LoadMany(r?.Intents ?? []).Then(list => list.Where(i => i is not null).ToList())));
    }
}
