using GraphQL.Types;

namespace Pdsno.GraphQL.Enums;

/// <summary>Whether a link carries traffic.</summary>
public sealed class LinkStatusGraphType : EnumerationGraphType
{
    /// <summary>Declares UP and DOWN.</summary>
    public LinkStatusGraphType()
    {
        Name = "LinkStatus";
        Add("UP", "UP", "Both ends see each other.");
        Add("DOWN", "DOWN", "The link is known but not passing traffic.");
    }
}
