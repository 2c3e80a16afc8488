using GraphQL.Types;

namespace Pdsno.GraphQL.Relay;

/// <summary>Relay's Node interface: every object with a global id that <c>node(id)</c> can fetch.</summary>
public sealed class NodeInterface : InterfaceGraphType
{
    /// <summary>Declares the id field.</summary>
    public NodeInterface()
    {
        Name = "Node";
        Description = "An object with a global id, fetchable with `node(id)`.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id: opaque, stable, and the same for every caller of the tenant.");
    }
}
