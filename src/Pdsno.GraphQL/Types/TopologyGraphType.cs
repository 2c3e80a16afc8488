using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Enums;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>Topology</c>: a region as nodes and edges, ready to draw, in one response.</summary>
public sealed class TopologyGraphType : ObjectGraphType<TopologyRecord>
{
    /// <summary>Declares region, nodes and edges.</summary>
    public TopologyGraphType()
    {
        Name = "Topology";
        Description = "A region as a graph: its devices, the devices of other regions its links reach (external), and the links.";
        Field(x => x.Region, type: typeof(NonNullGraphType<RegionGraphType>));
        Field(x => x.Nodes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TopologyNodeGraphType>>>));
        Field(x => x.Edges, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TopologyEdgeGraphType>>>));
    }
}

/// <summary>
/// GraphQL <c>TopologyNode</c>: a device in a topology drawing. An external device in a region the caller may not
/// see shows its key only; every other field is null.
/// </summary>
public sealed class TopologyNodeGraphType : ObjectGraphType<TopologyNodeRecord>
{
    /// <summary>Declares the node fields.</summary>
    public TopologyNodeGraphType()
    {
        Name = "TopologyNode";
        Description = "A device of the drawing. An external device in a region outside your token's regions shows only its key (and id); its other fields are null.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The device's global id.").Resolve(c => GlobalId.Encode(GlobalId.Device, c.Source.Key));
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        Field<StringGraphType>("label").Description("The device name.").Resolve(c => c.Source.Device?.Name);
        Field<DeviceStatusGraphType>("status").Resolve(c => c.Source.Device?.Status);
        Field<StringGraphType>("role").Resolve(c => c.Source.Device?.Role);
        Field<StringGraphType>("vendor").Resolve(c => c.Source.Device?.Vendor);
        Field<StringGraphType>("regionKey").Resolve(c => c.Source.Device?.Region);
        Field(x => x.External).Description("True for a device of another region reached by one of this region's links.");
        Field<FloatGraphType>("latitude")
            .Description("Degrees north, from the Topology Zoo file (or generated network) the simulated device came from; null when unknown, as for discovered hardware.")
            .ResolveAsync(async c => (await PositionOf(c))?.Latitude);
        Field<FloatGraphType>("longitude")
            .Description("Degrees east, from the same source as latitude; null when unknown.")
            .ResolveAsync(async c => (await PositionOf(c))?.Longitude);
        Field<DeviceGraphType>("device").Resolve(c => c.Source.Device);
    }

    private static Task<GeoPosition?> PositionOf(global::GraphQL.IResolveFieldContext<TopologyNodeRecord> context) =>
        context.Source.Device is { } device
            ? context.RequestServices!.GetRequiredService<SimulatedPositions>().FindAsync(context.Tenant(), device.ChassisId)
            : Task.FromResult<GeoPosition?>(null);
}

/// <summary>GraphQL <c>TopologyEdge</c>: a link in a topology drawing.</summary>
public sealed class TopologyEdgeGraphType : ObjectGraphType<LinkRecord>
{
    /// <summary>Declares the edge fields.</summary>
    public TopologyEdgeGraphType()
    {
        Name = "TopologyEdge";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The link's global id.").Resolve(c => GlobalId.Encode(GlobalId.Link, c.Source.Key));
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("source").Description("The A-end device key.").Resolve(c => c.Source.DeviceA);
        Field<NonNullGraphType<StringGraphType>>("target").Description("The B-end device key.").Resolve(c => c.Source.DeviceB);
        Field<NonNullGraphType<StringGraphType>>("sourceInterface").Resolve(c => c.Source.InterfaceA);
        Field<NonNullGraphType<StringGraphType>>("targetInterface").Resolve(c => c.Source.InterfaceB);
        Field<NonNullGraphType<LinkStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<LongGraphType>>("speedBps").Resolve(c => c.Source.SpeedBps);
        Field<NonNullGraphType<LinkGraphType>>("link").Resolve(c => c.Source);
    }
}
