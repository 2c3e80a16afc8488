using GraphQL.Types;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.ReadModel;
using Pdsno.GraphQL.Relay;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>Region</c>: a zone a regional controller governs.</summary>
public sealed class RegionGraphType : ObjectGraphType<RegionRecord>
{
    /// <summary>Declares the region fields.</summary>
    public RegionGraphType()
    {
        Name = "Region";
        Description = "A zone of the network that a regional controller governs.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is RegionRecord;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(GlobalId.Region, c.Source.Key));
        Field(x => x.Key).Description("The region key grains and rows are keyed by.");
        Field(x => x.Name).Description("The display name; the key when none was set.");
        Field(x => x.PolicyVersion, type: typeof(NonNullGraphType<LongGraphType>)).Description("The global policy version the region runs.");
        Field(x => x.CreatedAt);
        Field(x => x.UpdatedAt);
        Field<NonNullGraphType<IntGraphType>>("deviceCount")
            .Description("Devices in the region.")
            .Resolve(c => c.Loaders().RegionDeviceCounts.Load(c.Source.Key));
    }
}
