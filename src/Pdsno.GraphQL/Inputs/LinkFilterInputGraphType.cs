using GraphQL.Types;

// Not Pdsno.GraphQL.Inputs: that namespace would hide the GraphQL.Inputs type from every file under Pdsno.GraphQL.
namespace Pdsno.GraphQL.Types;

/// <summary>The criteria of a link list; all optional, combined with AND.</summary>
public sealed class LinkFilter
{
    /// <summary>Region global id or key.</summary>
    public string? RegionId { get; set; }

    /// <summary>Link status.</summary>
    public string? Status { get; set; }

    /// <summary>Device global id or key at either end.</summary>
    public string? DeviceId { get; set; }
}

/// <summary>GraphQL input <c>LinkFilter</c>.</summary>
public sealed class LinkFilterInputGraphType : InputObjectGraphType<LinkFilter>
{
    /// <summary>Declares the filter fields.</summary>
    public LinkFilterInputGraphType()
    {
        Name = "LinkFilter";
        Field<IdGraphType>("regionId").Description("Only links of this region (global id or region key).");
        Field<Enums.LinkStatusGraphType>("status").Description("Only links with this status.");
        Field<IdGraphType>("deviceId").Description("Only links with this device at either end (global id or device key).");
    }
}
