using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Changes;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Limits;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Security;
using Pdsno.GraphQL.Types;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL;

/// <summary>The root query type: the read side of the API, scoped by the caller's tenant.</summary>
public sealed class Query : ObjectGraphType
{
    /// <summary>Declares the query fields.</summary>
    public Query()
    {
        Name = "Query";

        Field<NonNullGraphType<ConnectionGraphType<RegionGraphType, RegionRecord>>>("regions")
            .Description("The tenant's regions, by key.")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var (reader, tenant, scope) = (c.Reader(), c.Tenant(), c.Scope());
                return await Connections.PageAsync<RegionRecord>(
                    c, "region", r => r.Key,
                    (page, ct) => reader.ReadRegionsPageAsync(tenant, page, scope, ct),
                    ct => reader.CountRegionsAsync(tenant, scope, ct));
            });

        Field<RegionGraphType>("region")
            .Description("One region by global id or key; NOT_FOUND when the tenant has none such.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c => Require(c.Loaders().Regions.Load(GlobalId.KeyOf(c.GetArgument<string>("id"), GlobalId.Region)), "region", c.GetArgument<string>("id")));

        Field<NonNullGraphType<ConnectionGraphType<DeviceGraphType, DeviceRecord>>>("devices")
            .Description("Devices matching the filter, by key.")
            .Argument<DeviceFilterInputGraphType>("filter")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var (reader, tenant) = (c.Reader(), c.Tenant());
                var filter = c.GetArgument<DeviceFilter?>("filter");
                var query = new DeviceQuery(
                    filter?.RegionId is { } region ? GlobalId.KeyOf(region, GlobalId.Region, "filter.regionId") : null,
                    filter?.Status,
                    filter?.Vendor,
                    filter?.Role,
                    filter?.Search,
                    c.Scope(),
                    filter?.Name);
                return await Connections.PageAsync<DeviceRecord>(
                    c, "device", d => d.Key,
                    (page, ct) => reader.ReadDevicesPageAsync(tenant, query, page, ct),
                    ct => reader.CountDevicesAsync(tenant, query, ct));
            });

        Field<DeviceGraphType>("device")
            .Description("One device by id or by name (exactly one of them); NOT_FOUND when you see none such, BAD_USER_INPUT when the name is in several of your regions and no regionId says which.")
            .Argument<IdGraphType>("id", "The device's global id or key; a name is accepted too where it is unique among the devices you see.")
            .Argument<StringGraphType>("name", "The device's exact name.")
            .Argument<IdGraphType>("regionId", "With name: the region the device is in (names repeat across regions).")
            .Resolve(c => DeviceByIdOrName(c));

        Field<NonNullGraphType<ConnectionGraphType<LinkGraphType, LinkRecord>>>("links")
            .Description("Links matching the filter, by key.")
            .Argument<LinkFilterInputGraphType>("filter")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var (reader, tenant) = (c.Reader(), c.Tenant());
                var filter = c.GetArgument<LinkFilter?>("filter");
                var query = new LinkQuery(
                    filter?.RegionId is { } region ? GlobalId.KeyOf(region, GlobalId.Region, "filter.regionId") : null,
                    filter?.Status,
                    filter?.DeviceId is { } device ? (await DeviceArguments.ResolveAsync(c, device, "filter.deviceId")).Key : null,
                    c.Scope());
                return await Connections.PageAsync<LinkRecord>(
                    c, "link", l => l.Key,
                    (page, ct) => reader.ReadLinksPageAsync(tenant, query, page, ct),
                    ct => reader.CountLinksAsync(tenant, query, ct));
            });

        Field<LinkGraphType>("link")
            .Description("One link by global id or key; NOT_FOUND when the tenant has none such.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c => Require(c.Loaders().Links.Load(GlobalId.KeyOf(c.GetArgument<string>("id"), GlobalId.Link)), "link", c.GetArgument<string>("id")));

        Field<TopologyGraphType>("topology")
            .Description("A region's devices and links, with devices of other regions its links reach marked external, in at most three SQL statements.")
            .Argument<NonNullGraphType<IdGraphType>>("regionId")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("regionId");
                var region = GlobalId.KeyOf(id, GlobalId.Region, "regionId");
                var topology = c.Caller().CanSeeRegion(region) ? await c.Reader().GetTopologyAsync(c.Tenant(), region, c.Scope(), c.CancellationToken) : null;
                return topology ?? throw PdsnoError.NotFound($"region '{id}' not found");
            });

        Field<PathGraphType>("path")
            .Description("The shortest path over UP links between two devices; null with NOT_FOUND when a device is unknown or unreachable.")
            .Argument<NonNullGraphType<IdGraphType>>("from", "A device's global id, key, or name where it is unique.")
            .Argument<NonNullGraphType<IdGraphType>>("to", "A device's global id, key, or name where it is unique.")
            .ResolveAsync(async c =>
            {
                var (reader, tenant) = (c.Reader(), c.Tenant());
                var fromId = c.GetArgument<string>("from");
                var toId = c.GetArgument<string>("to");
                var caller = c.Caller();
                var ends = await DeviceLookup.ResolveAsync(reader, caller, [DeviceArguments.Parse(fromId, "from"), DeviceArguments.Parse(toId, "to")], c.CancellationToken);
                var from = ends[0].Require("from").Key;
                var to = ends[1].Require("to").Key;

                var path = await reader.FindPathAsync(tenant, from, to, c.CancellationToken);
                if (path is not null && caller.IsRegionScoped)
                {
                    // A token limited to regions is not shown devices outside them, not even as hops.
                    var hops = await reader.GetDevicesAsync(tenant, path.Hops.Select(h => h.Device).ToList(), c.CancellationToken);
                    if (path.Hops.Any(h => !hops.TryGetValue(h.Device, out var hop) || !caller.CanSeeRegion(hop.Region)))
                    {
                        path = null;
                    }
                }

                return path ?? throw PdsnoError.NotFound($"no path over UP links from '{fromId}' to '{toId}'");
            });

        Analytics.AnalyticsFields.AddQueries(this);

        Field<NonNullGraphType<ConnectionGraphType<TopologyEventGraphType, EventRecord>>>("events")
            .Description("The durable event log in sequence order: events after `since`, optionally of some types, in a region or about a device.")
            .Argument<LongGraphType>("since", "Only events with a greater sequence (default 0: from the start).")
            .Argument<ListGraphType<NonNullGraphType<Enums.TopologyEventTypeGraphType>>>("types", "Only events of these types.")
            .Argument<IdGraphType>("regionId", "Only events of this region.")
            .Argument<IdGraphType>("deviceId", "Only events about this device (global id, key, or name where it is unique).")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var (reader, tenant) = (c.Reader(), c.Tenant());
                var since = c.GetArgument<long?>("since") ?? 0;
                if (since < 0)
                {
                    throw PdsnoError.BadUserInput($"since must not be negative (got {since})");
                }

                var types = c.GetArgument<List<TopologyEventType>?>("types")?.Select(t => t.ToString()).ToList();
                var region = c.GetArgument<string?>("regionId") is { } r ? GlobalId.KeyOf(r, GlobalId.Region, "regionId") : null;
                var device = c.GetArgument<string?>("deviceId") is { } d ? (await DeviceArguments.ResolveAsync(c, d, "deviceId")).Key : null;
                var query = new EventQuery(since, types, region, device, c.Scope(), c.HiddenEventTypes());
                return await Connections.PageAsync<EventRecord>(
                    c, "event", e => e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    (page, ct) => reader.ReadEventsPageAsync(tenant, query, page, ct),
                    ct => reader.CountEventsAsync(tenant, query, ct),
                    Cursor.IsSequence);
            });

        Field<NonNullGraphType<ConnectionGraphType<ChangeGraphType, ChangeView>>>("changes")
            .Description("Governed changes matching the filter, oldest first (keys sort by creation time); only changes whose every region you see.")
            .Argument<ChangeFilterInputGraphType>("filter")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var (reader, tenant) = (c.Reader(), c.Tenant());
                var filter = c.GetArgument<ChangeFilter?>("filter");
                var query = new ChangeQuery(
                    filter?.Status is { } status ? status.ApiName() : null,
                    filter?.RegionId is { } region ? GlobalId.KeyOf(region, GlobalId.Region, "filter.regionId") : null,
                    filter?.DeviceId is { } device ? (await DeviceArguments.ResolveAsync(c, device, "filter.deviceId")).Key : null,
                    c.Scope());
                return await Connections.PageAsync<ChangeView>(
                    c, "change", v => v.Id,
                    async (page, ct) =>
                    {
                        var rows = await reader.ReadChangesPageAsync(tenant, query, page, ct);
                        return new KeysetResult<ChangeView>([.. rows.Rows.Select(r => r.Change)], rows.HasMore);
                    },
                    ct => reader.CountChangesAsync(tenant, query, ct));
            });

        Field<ChangeGraphType>("change")
            .Description("One change by global id or key; NOT_FOUND when you see none such.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c => Require(c.Loaders().Changes.Load(GlobalId.KeyOf(c.GetArgument<string>("id"), GlobalId.Change)), "change", c.GetArgument<string>("id")));

        Field<NonNullGraphType<GlobalPolicyGraphType>>("globalPolicy")
            .Description("The tenant's current global policy.")
            .ResolveAsync(async c =>
            {
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                return await grains.GetGrain<IGlobalPolicyGrain>(c.Tenant()).GetPolicyAsync();
            });

        Field<NonNullGraphType<ViewerGraphType>>("viewer")
            .Description("Who you are: your tenant, token, roles and regions.")
            .Resolve(c => c.Caller());

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApiTokenGraphType>>>>("apiTokens")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Your tenant's API tokens, oldest first, without secrets (revoked and expired ones included).")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IGrainFactory>().GetGrain<ITenantGrain>(c.Tenant()).ListTokensAsync());

        AuditFields(this);
        Intents.IntentQueryFields.Add(this);
        Intents.IntentQueryFields.AddStored(this);
        Webhooks.WebhookFields.AddQueries(this);

        Field<NodeInterface>("node")
            .Description("Any object by its global id; NOT_FOUND when the tenant has none such.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c =>
            {
                var id = c.GetArgument<string>("id");
                return LoadNode(c, id).Then(node => node ?? throw PdsnoError.NotFound($"node '{id}' not found"));
            });

        Field<NonNullGraphType<ListGraphType<NodeInterface>>>("nodes")
            .Description("Objects by global id, in the order asked; an unknown id gives null at its position and a NOT_FOUND error.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids")
            .Resolve(c =>
            {
                var ids = c.GetArgument<List<string>>("ids");
                var limits = c.RequestServices!.GetRequiredService<IOptions<GraphQLLimitsOptions>>().Value;
                if (ids.Count > limits.MaxPageSize)
                {
                    throw PdsnoError.LimitExceeded($"ids has {ids.Count} ids, which exceeds the maximum page size {limits.MaxPageSize} by {ids.Count - limits.MaxPageSize}");
                }

                var pending = ids.Select(id => LoadNode(c, id)).ToList();
                return new DataLoaderResult<IReadOnlyList<object?>>(async ct =>
                {
                    var nodes = new object?[pending.Count];
                    for (var i = 0; i < pending.Count; i++)
                    {
                        nodes[i] = await pending[i].GetResultAsync(ct);
                        if (nodes[i] is null)
                        {
                            var error = PdsnoError.NotFound($"node '{ids[i]}' not found");
                            error.Path = [.. c.Path, i];
                            c.Errors.Add(error);
                        }
                    }

                    return nodes;
                });
            });
    }


    private static void AuditFields(Query q)
    {
        q.Field<NonNullGraphType<ConnectionGraphType<Audit.AuditRecordGraphType, Storage.Audit.AuditRecord>>>("auditLog")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("The tenant's audit trail in seq order: every mutation, sandbox action, token command and security event, hash-chained.")
            .Argument<LongGraphType>("since", "Only records with a greater seq (default 0: from the first).")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var (audit, tenant) = (c.RequestServices!.GetRequiredService<Storage.Audit.AuditChainReader>(), c.Tenant());
                var since = c.GetArgument<long?>("since") ?? 0;
                if (since < 0)
                {
                    throw PdsnoError.BadUserInput($"since must not be negative (got {since})");
                }

                return await Connections.PageAsync<Storage.Audit.AuditRecord>(
                    c, "audit", r => r.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    (page, ct) => audit.ReadPageAsync(tenant, since, page, ct),
                    ct => audit.CountAsync(tenant, since, ct),
                    Cursor.IsSequence);
            });

        q.Field<NonNullGraphType<Audit.AuditVerificationGraphType>>("verifyAuditChain")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Checks the tenant's whole audit chain (seq without gaps, each record naming its predecessor's hash and carrying its own) and names the first broken record.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<Storage.Audit.AuditChainReader>().VerifyAsync(c.Tenant(), c.CancellationToken));
    }
    private static IDataLoaderResult<DeviceRecord> DeviceByIdOrName(IResolveFieldContext context)
    {
        var id = context.GetArgument<string?>("id");
        var name = context.GetArgument<string?>("name");
        var region = context.GetArgument<string?>("regionId");
        if ((id is null) == (name is null))
        {
            throw PdsnoError.BadUserInput("device takes exactly one of id and name");
        }

        if (name is null)
        {
            if (region is not null)
            {
                throw PdsnoError.BadUserInput("regionId goes with name; an id already names one device");
            }

            return context.Loaders().DeviceRefs.Load(DeviceArguments.Parse(id!, "id")).Then(m => m.Require("id", "give the device's id, or its name and regionId"));
        }

        var reference = DeviceRef.ByName(name, region is null ? null : GlobalId.KeyOf(region, GlobalId.Region, "regionId"));
        return context.Loaders().DeviceRefs.Load(reference).Then(m => m.Require("name", "pass regionId to say which, or give the device's id"));
    }

    private static IDataLoaderResult<T> Require<T>(IDataLoaderResult<T?> pending, string what, string id)
        where T : class =>
        pending.Then(value => value ?? throw PdsnoError.NotFound($"{what} '{id}' not found"));

    private static IDataLoaderResult<object?> LoadNode(IResolveFieldContext context, string id)
    {
        if (!GlobalId.TryDecode(id, out var type, out var key))
        {
            throw PdsnoError.BadUserInput($"'{id}' is not a global id");
        }

        var loaders = context.Loaders();
        return type switch
        {
            GlobalId.Region => loaders.Regions.Load(key).Then(r => (object?)r),
            GlobalId.Device => loaders.Devices.Load(key).Then(d => (object?)d),
            GlobalId.Interface => loaders.InterfacesByKey.Load(key).Then(i => (object?)i),
            GlobalId.Link => loaders.Links.Load(key).Then(l => (object?)l),
            GlobalId.Change => loaders.Changes.Load(key).Then(x => (object?)x),
            GlobalId.Intent => loaders.Intents.Load(key).Then(x => (object?)x),
            _ => throw PdsnoError.BadUserInput($"'{id}' is not a global id"),
        };
    }
}
