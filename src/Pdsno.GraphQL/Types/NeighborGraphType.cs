using GraphQL.Types;
using Pdsno.GraphQL.Loading;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>Neighbor</c>: the device and link on the far end of one of a device's links.</summary>
public sealed class NeighborGraphType : ObjectGraphType<NeighborRecord>
{
    /// <summary>Declares the neighbour fields.</summary>
    public NeighborGraphType()
    {
        Name = "Neighbor";
        Description = "The far end of one of a device's links.";
        Field<DeviceGraphType>("device")
            .Description("The far device; null while it is not yet in the read model, or when it lies outside the regions the caller may see.")
            .Resolve(c => c.Loaders().Devices.Load(c.Source.RemoteDeviceKey));
        Field(x => x.RemoteDeviceKey).Description("The far device's key.");
        Field(x => x.Link, type: typeof(NonNullGraphType<LinkGraphType>));
        Field(x => x.LocalInterface).Description("This device's interface on the link.");
        Field(x => x.RemoteInterface).Description("The far device's interface on the link.");
    }
}
