using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Grains;
using Pdsno.GraphQL.Enums;
using Pdsno.GraphQL.Limits;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>Device</c>: one network device with its interfaces, neighbours and recent telemetry.</summary>
public sealed class DeviceGraphType : ObjectGraphType<DeviceRecord>
{
    /// <summary>Declares the device fields.</summary>
    public DeviceGraphType()
    {
        Name = "Device";
        Description = "A network device as discovery knows it.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is DeviceRecord;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(GlobalId.Device, c.Source.Key));
        Field(x => x.Key).Description("The device key (from the chassis id), unique within the tenant.");
        Field(x => x.Name);
        Field(x => x.Vendor);
        Field(x => x.Model);
        Field(x => x.OsVersion);
        Field(x => x.Role);
        Field(x => x.ManagementAddress);
        Field(x => x.ChassisId);
        Field(x => x.Status, type: typeof(NonNullGraphType<DeviceStatusGraphType>));
        Field(x => x.StatusSince);
        Field(x => x.FirstSeen);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("problems")
            .Description("What was wrong with the device's data in its last observation (failed tables, nonsense values); empty when nothing was.")
            .Resolve(c => c.Source.Problems);
        Field<RegionGraphType>("region").Resolve(c => c.Loaders().Regions.Load(c.Source.Region));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InterfaceGraphType>>>>("interfaces")
            .Description("The device's interfaces in ifIndex order.")
            .Resolve(c => c.Loaders().Interfaces.Load(c.Source.Key));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NeighborGraphType>>>>("neighbors")
            .Description("What is on the far end of each of the device's links, up or down.")
            .Resolve(c =>
            {
                var loaders = c.Loaders();
                if (c.SubFields?.Values.Any(f => f.FieldType.Name == "device") == true)
                {
                    loaders.WantNeighborDevices();
                }

                return loaders.Neighbors.Load(c.Source.Key);
            });
        Field<DeviceConfigStateGraphType>("config")
            .Description("The intended and observed config, drift, the change holding the device's lock and why it is DEGRADED; null until discovery first saw the device with config.")
            .Resolve(c => c.Loaders().Configs.Load(c.Source.Key));
        Field<NonNullGraphType<ConnectionGraphType<ConfigVersionGraphType, ConfigVersion>>>("configHistory")
            .Description("Every applied version of the device's config, newest first.")
            .Argument<IntGraphType>("first", "Versions from the newest (after `after`); at most the server's maximum page size.")
            .Argument<StringGraphType>("after", "Cursor to continue after (towards older versions).")
            .ResolveAsync(async c => await ConfigHistory.PageAsync(c, c.Source));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TelemetrySampleGraphType>>>>("recentTelemetry")
            .Description("The device's in-memory telemetry window, newest last (from the device grain; nothing is stored per sample).")
            .Argument<StringGraphType>("interface", "Only samples of this interface.")
            .Argument<IntGraphType>("last", "Only the newest samples, at most the maximum page size.")
            .ResolveAsync(async c =>
            {
                var last = c.GetArgument<int?>("last");
                if (last is not null)
                {
                    PageSize.Resolve(null, last, c.RequestServices!.GetRequiredService<Microsoft.Extensions.Options.IOptions<GraphQLLimitsOptions>>().Value);
                }

                // A device record can reach a resolver outside the caller's regions only by mistake; its telemetry still does not.
                if (!c.Caller().CanSeeRegion(c.Source.Region))
                {
                    return new List<TelemetrySample>();
                }

                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                var samples = await grains.GetGrain<IDeviceGrain>(c.Tenant() + "/" + c.Source.Key).GetTelemetryAsync();
                var wanted = c.GetArgument<string?>("interface");
                var selected = samples.Where(s => wanted is null || s.Interface == wanted).ToList();
                return last is null ? selected : selected.Skip(Math.Max(0, selected.Count - last.Value)).ToList();
            });
    }
}
