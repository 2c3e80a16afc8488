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
    }
}
