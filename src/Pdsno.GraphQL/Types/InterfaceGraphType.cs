using GraphQL.Types;
using Pdsno.GraphQL.Enums;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>Interface</c>: a port of a device.</summary>
public sealed class InterfaceGraphType : ObjectGraphType<InterfaceRecord>
{
    /// <summary>Declares the interface fields.</summary>
    public InterfaceGraphType()
    {
        Name = "Interface";
        Description = "A port of a device (IF-MIB).";
        Interface<NodeInterface>();
        IsTypeOf = o => o is InterfaceRecord;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(GlobalId.Interface, c.Source.Key));
        Field(x => x.Name);
        Field(x => x.IfIndex);
        Field(x => x.Mac);
        Field(x => x.SpeedBps, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.AdminStatus, type: typeof(NonNullGraphType<InterfaceStatusGraphType>));
        Field(x => x.OperStatus, type: typeof(NonNullGraphType<InterfaceStatusGraphType>));
        Field<DeviceGraphType>("device").Resolve(c => c.Loaders().Devices.Load(c.Source.Device));
        Analytics.AnalyticsFields.AddInterfaceFields(this);
    }
}
