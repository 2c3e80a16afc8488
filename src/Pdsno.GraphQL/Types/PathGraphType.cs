using GraphQL.Types;
using Pdsno.GraphQL.Loading;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>Path</c>: a shortest path over UP links with its hop list.</summary>
public sealed class PathGraphType : ObjectGraphType<PathRecord>
{
    /// <summary>Declares the path fields.</summary>
    public PathGraphType()
    {
        Name = "Path";
        Description = "A shortest path (fewest links) over UP links.";
        Field<DeviceGraphType>("from").Resolve(c => c.Loaders().Devices.Load(c.Source.From));
        Field<DeviceGraphType>("to").Resolve(c => c.Loaders().Devices.Load(c.Source.To));
        Field<NonNullGraphType<IntGraphType>>("hopCount").Description("Links crossed.").Resolve(c => c.Source.LinkCount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathHopGraphType>>>>("hops")
            .Description("Every device on the path in order; the last has no outgoing interface or link.")
            .Resolve(c => c.Source.Hops);
    }
}

/// <summary>GraphQL <c>PathHop</c>: a device on a path and how the path leaves it.</summary>
public sealed class PathHopGraphType : ObjectGraphType<PathHopRecord>
{
    /// <summary>Declares the hop fields.</summary>
    public PathHopGraphType()
    {
        Name = "PathHop";
        Field<DeviceGraphType>("device").Resolve(c => c.Loaders().Devices.Load(c.Source.Device));
        Field<NonNullGraphType<StringGraphType>>("deviceKey").Resolve(c => c.Source.Device);
        Field(x => x.InterfaceOut, nullable: true).Description("The interface the path leaves this device by.");
        Field(x => x.Link, type: typeof(LinkGraphType)).Description("The link to the next device.");
    }
}
