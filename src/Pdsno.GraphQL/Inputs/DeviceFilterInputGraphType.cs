using GraphQL.Types;

// Not Pdsno.GraphQL.Inputs: that namespace would hide the GraphQL.Inputs type from every file under Pdsno.GraphQL.
namespace Pdsno.GraphQL.Types;

/// <summary>The criteria of a device list; all optional, combined with AND.</summary>
public sealed class DeviceFilter
{
    /// <summary>Region global id or key.</summary>
    public string? RegionId { get; set; }

    /// <summary>Device status.</summary>
    public string? Status { get; set; }

    /// <summary>Vendor, case-insensitive.</summary>
    public string? Vendor { get; set; }

    /// <summary>Role, case-insensitive.</summary>
    public string? Role { get; set; }

    /// <summary>The exact name (names repeat across regions, so this may match one device in each).</summary>
    public string? Name { get; set; }

    /// <summary>Part of the name or management address, case-insensitive.</summary>
    public string? Search { get; set; }
}

/// <summary>GraphQL input <c>DeviceFilter</c>.</summary>
public sealed class DeviceFilterInputGraphType : InputObjectGraphType<DeviceFilter>
{
    /// <summary>Declares the filter fields.</summary>
    public DeviceFilterInputGraphType()
    {
        Name = "DeviceFilter";
        Field<IdGraphType>("regionId").Description("Only devices of this region (global id or region key).");
        Field<Enums.DeviceStatusGraphType>("status").Description("Only devices with this status.");
        Field<StringGraphType>("vendor").Description("Only devices of this vendor (case-insensitive).");
        Field<StringGraphType>("role").Description("Only devices with this role (case-insensitive).");
        Field<StringGraphType>("name").Description("Only devices with exactly this name (one per region at most).");
        Field<StringGraphType>("search").Description("Part of the name or management address (case-insensitive).");
    }
}
