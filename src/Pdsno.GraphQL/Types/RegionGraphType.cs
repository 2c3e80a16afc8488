using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

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
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ControllerStatusGraphType>>>>("controllers")
            .Description("The region's local controllers, live from their grains; overdue ones have missed their schedule.")
            .ResolveAsync(async c =>
            {
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var region = new RegionId(c.Tenant(), c.Source.Key);
                var snapshot = await grains.GetGrain<IRegionGrain>(region.ToString()).GetSnapshotAsync();
                var controllers = snapshot.Controllers.IsDefault ? [] : snapshot.Controllers;
                return await Task.WhenAll(controllers.Select(id => grains.GetGrain<ILocalControllerGrain>(new ControllerId(region, id).ToString()).GetStatusAsync()));
            });
    }
}
