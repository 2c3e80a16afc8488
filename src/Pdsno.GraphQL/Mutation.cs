using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Mutations;
using Pdsno.GraphQL.Relay;

namespace Pdsno.GraphQL;

/// <summary>The root mutation type: region administration, imports, discovery triggers, policy and sandbox controls.</summary>
public sealed class Mutation : ObjectGraphType
{
    /// <summary>Declares the mutation fields.</summary>
    public Mutation()
    {
        Name = "Mutation";

        Field<NonNullGraphType<RegionPayloadGraphType>>("createRegion")
            .Description("Creates a region with one local controller.")
            .Argument<NonNullGraphType<CreateRegionInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CreateRegionInput>("input");
                return await Commands(c).CreateRegionAsync(c.Tenant(), input.Id, input.Name, c.CancellationToken);
            });

        Field<NonNullGraphType<RegionPayloadGraphType>>("renameRegion")
            .Description("Gives a region a new display name; its id does not change.")
            .Argument<NonNullGraphType<RenameRegionInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RenameRegionInput>("input");
                return await Commands(c).RenameRegionAsync(c.Tenant(), Key(input.Id, GlobalId.Region), input.Name, c.CancellationToken);
            });

        Field<NonNullGraphType<RegionPayloadGraphType>>("deleteRegion")
            .Description("Deletes an empty region and stops its controllers.")
            .Argument<NonNullGraphType<RegionRefInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RegionRefInput>("input");
                return await Commands(c).DeleteRegionAsync(c.Tenant(), Key(input.Id, GlobalId.Region), c.CancellationToken);
            });

        Field<NonNullGraphType<ImportTopologyPayloadGraphType>>("importTopology")
            .Description("Imports GML text or a Topology Zoo network into a region of the simulated network, all or nothing.")
            .Argument<NonNullGraphType<ImportTopologyInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ImportTopologyInput>("input");
                return await Commands(c).ImportTopologyAsync(c.Tenant(), Key(input.RegionId, GlobalId.Region), input.Gml, input.ZooFile, input.Name, c.CancellationToken);
            });

        Field<NonNullGraphType<RegionPayloadGraphType>>("triggerDiscovery")
            .Description("Runs a discovery cycle of the region now.")
            .Argument<NonNullGraphType<RegionRefInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RegionRefInput>("input");
                return await Commands(c).TriggerDiscoveryAsync(c.Tenant(), Key(input.Id, GlobalId.Region), c.CancellationToken);
            });

        Field<NonNullGraphType<GlobalPolicyPayloadGraphType>>("setGlobalPolicy")
            .Description("Stores a new version of the tenant's global policy; every region adopts it.")
            .Argument<NonNullGraphType<SetGlobalPolicyInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SetGlobalPolicyInput>("input");
                return await Commands(c).SetGlobalPolicyAsync(c.Tenant(), input.DiscoveryIntervalSeconds, input.MissedCyclesUntilInactive, input.MinimumIntervalSeconds, input.MaximumIntervalSeconds);
            });

        Field<NonNullGraphType<DevicePayloadGraphType>>("setDeviceDown")
            .Description("Sandbox: takes a simulated device down (it stops answering discovery) or brings it back.")
            .Argument<NonNullGraphType<SandboxInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SandboxInput>("input");
                return await Commands(c).SetDeviceDownAsync(c.Tenant(), Key(input.Id, GlobalId.Device), input.Down, c.CancellationToken);
            });

        Field<NonNullGraphType<LinkPayloadGraphType>>("setLinkDown")
            .Description("Sandbox: takes a simulated link down (both interfaces go down) or brings it back.")
            .Argument<NonNullGraphType<SandboxInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SandboxInput>("input");
                return await Commands(c).SetLinkDownAsync(c.Tenant(), Key(input.Id, GlobalId.Link), input.Down, c.CancellationToken);
            });
    }

    /// <summary>The key of a global id of <paramref name="type"/>; anything else is taken as a key itself.</summary>
    internal static string Key(string id, string type) =>
        GlobalId.TryDecode(id, out var decodedType, out var key) && decodedType == type ? key : id;

    private static TopologyCommands Commands(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<TopologyCommands>();
}
