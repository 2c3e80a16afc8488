using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.GraphQL.Changes;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Types;

namespace Pdsno.GraphQL.Intents;

/// <summary>GraphQL <c>Intent</c>: a stored intent, its lifecycle state and why, its paths, reservation, changes and history.</summary>
public sealed class IntentGraphType : ObjectGraphType<IntentView>
{
    private const int MaxCompliancePage = 500;

    /// <summary>Declares the intent fields.</summary>
    public IntentGraphType()
    {
        Name = "Intent";
        Description = "What the network must do, compiled on the live topology and installed through governed changes the intent owns.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is IntentView;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(GlobalId.Intent, c.Source.Id));
        Field("key", x => x.Id).Description("The intent key in the tenant.");
        Field<StringGraphType>("title").Resolve(c => c.Source.Spec.Title);
        Field<NonNullGraphType<IntentKindGraphType>>("kind").Resolve(c => c.Source.Spec.Kind);
        Field<NonNullGraphType<IntentStatusGraphType>>("state").Resolve(c => c.Source.Status);
        Field(x => x.Reason, nullable: true).Description("Why it is FAILED or in CONFLICT.");
        Field<ConnectivitySpecGraphType>("connectivity").Description("The connectivity spec (kind CONNECTIVITY).").Resolve(c => c.Source.Spec.Connectivity);
        Field<ComplianceSpecGraphType>("complianceSpec").Description("The compliance spec (kind COMPLIANCE).").Resolve(c => c.Source.Spec.Compliance);
        Field<IntentComplianceGraphType>("compliance")
            .Description($"Kind COMPLIANCE: the devices it selects, by key, each compliant or not with the keys that differ, judged against the device's intended config and, where it drifted, its observed config. At most {MaxCompliancePage} a page.")
            .Argument<IntGraphType>("first", "Devices in the page (default 50).")
            .Argument<StringGraphType>("after", "The endCursor of the previous page.")
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument<int?>("first") ?? 50;
                if (first is < 0 or > MaxCompliancePage)
                {
                    throw PdsnoError.BadUserInput($"compliance.first: {first} is outside 0..{MaxCompliancePage}");
                }

                return c.Source.Spec.Kind != IntentKind.Compliance ? null
                    : await c.RequestServices!.GetRequiredService<IGrainFactory>().GetGrain<IIntentGrain>(new IntentId(c.Tenant(), c.Source.Id).ToString())
                        .ComplianceAsync(first, c.GetArgument<string?>("after"));
            });
        Field<IntentPathGraphType>("path").Description("The installed (or installing) path; null when it has none.").Resolve(c => c.Source.Path);
        Field<IntentPathGraphType>("backupPath").Description("The protection path, when the intent asks for one.").Resolve(c => c.Source.Backup);
        Field(x => x.ReservedBps, type: typeof(NonNullGraphType<LongGraphType>)).Description("What the intent reserves on every link of its path(s).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("changeKeys").Description("The governed changes it owns, oldest first.").Resolve(c => c.Source.Changes);
        Field<NonNullGraphType<ListGraphType<ChangeGraphType>>>("changes").Description("The governed changes it owns, oldest first.").Resolve(c => c.Loaders().Changes.LoadMany(c.Source.Changes));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntentRoutesGraphType>>>>("routes").Description("The static routes it holds on each device.").Resolve(c => c.Source.Installed);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("regionKeys").Description("The regions of its endpoints.").Resolve(c => c.Source.Regions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntentTransitionGraphType>>>>("history").Resolve(c => c.Source.History);
        Field(x => x.Creator);
        Field(x => x.CreatedAt);
        Field(x => x.UpdatedAt);
        Field(x => x.Version, type: typeof(NonNullGraphType<LongGraphType>)).Description("The intent's state version: grows with every transition.");
    }
}

/// <summary>GraphQL <c>ConnectivitySpec</c>.</summary>
public sealed class ConnectivitySpecGraphType : ObjectGraphType<ConnectivitySpec>
{
    /// <summary>Declares the fields.</summary>
    public ConnectivitySpecGraphType()
    {
        Name = "ConnectivitySpec";
        Field<NonNullGraphType<IntentEndpointGraphType>>("a").Resolve(c => c.Source.A);
        Field<NonNullGraphType<IntentEndpointGraphType>>("b").Resolve(c => c.Source.B);
        Field(x => x.MinBandwidthBps, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.MaxHops, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("avoidDeviceKeys").Resolve(c => c.Source.AvoidDevices);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("avoidLinkKeys").Resolve(c => c.Source.AvoidLinks);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("avoidRegionKeys").Resolve(c => c.Source.AvoidRegions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("stayWithinRegionKeys").Resolve(c => c.Source.StayWithinRegions);
        Field(x => x.Protection, type: typeof(NonNullGraphType<ProtectionGraphType>));
        Field(x => x.Priority);
    }
}

/// <summary>GraphQL <c>IntentEndpoint</c>.</summary>
public sealed class IntentEndpointGraphType : ObjectGraphType<IntentEndpoint>
{
    /// <summary>Declares the fields.</summary>
    public IntentEndpointGraphType()
    {
        Name = "IntentEndpoint";
        Field("deviceKey", x => x.Device);
        Field<DeviceGraphType>("device").Resolve(c => c.Loaders().Devices.Load(c.Source.Device));
        Field(x => x.Interface, nullable: true);
        Field(x => x.Prefix, nullable: true);
    }
}

/// <summary>GraphQL <c>IntentRoutes</c>: the routes an intent holds on one device.</summary>
public sealed class IntentRoutesGraphType : ObjectGraphType<IntentRoutes>
{
    /// <summary>Declares the fields.</summary>
    public IntentRoutesGraphType()
    {
        Name = "IntentRoutes";
        Field("deviceKey", x => x.Device);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StaticRouteGraphType>>>>("routes").Resolve(c => c.Source.Routes);
    }
}

/// <summary>GraphQL <c>IntentTransition</c>.</summary>
public sealed class IntentTransitionGraphType : ObjectGraphType<IntentTransition>
{
    /// <summary>Declares the fields.</summary>
    public IntentTransitionGraphType()
    {
        Name = "IntentTransition";
        Field(x => x.At);
        Field<IntentStatusGraphType>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<IntentStatusGraphType>>("to").Resolve(c => c.Source.To);
        Field(x => x.Actor);
        Field(x => x.Note, nullable: true);
        Field("changeKey", x => x.Change, nullable: true);
    }
}

/// <summary>GraphQL <c>IntentState</c>: the ONOS lifecycle states plus PENDING_APPROVAL and CONFLICT.</summary>
public sealed class IntentStatusGraphType : EnumerationGraphType<IntentStatus>
{
    /// <summary>Declares one value per <see cref="IntentStatus"/> member.</summary>
    public IntentStatusGraphType()
    {
        Name = "IntentState";
    }
}

/// <summary>GraphQL <c>IntentPayload</c>.</summary>
public sealed class IntentPayloadGraphType() : Mutations.PayloadGraphType<IntentView, IntentGraphType>("IntentPayload", "intent");
