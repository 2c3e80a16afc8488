using GraphQL.Types;
using Pdsno.Abstractions.Events;

namespace Pdsno.GraphQL.Enums;

/// <summary>What happened to the topology, in SCREAMING_CASE (<c>DEVICE_ADDED</c>, <c>LINK_DOWN</c>, ...).</summary>
public sealed class TopologyEventTypeGraphType : EnumerationGraphType<TopologyEventType>
{
    /// <summary>Declares one value per <see cref="TopologyEventType"/> member.</summary>
    public TopologyEventTypeGraphType()
    {
        Name = "TopologyEventType";
    }
}
