using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Changes;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Mutations;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Security;

namespace Pdsno.GraphQL;

/// <summary>The root mutation type: region administration, imports, discovery triggers, policy and sandbox controls.</summary>
public sealed class Mutation : ObjectGraphType
{
    /// <summary>Declares the mutation fields.</summary>
    public Mutation()
    {
        Name = "Mutation";

        Field<NonNullGraphType<RegionPayloadGraphType>>("createRegion")
            .Requires(Roles.Admin)
            .Description("Creates a region with one local controller.")
            .Argument<NonNullGraphType<CreateRegionInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CreateRegionInput>("input");
                return await Commands(c).CreateRegionAsync(c.Caller(), input.Id, input.Name, c.CancellationToken);
            });

        Field<NonNullGraphType<RegionPayloadGraphType>>("renameRegion")
            .Requires(Roles.Admin)
            .Description("Gives a region a new display name; its id does not change.")
            .Argument<NonNullGraphType<RenameRegionInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RenameRegionInput>("input");
                return await Commands(c).RenameRegionAsync(c.Caller(), Key(input.Id, GlobalId.Region), input.Name, c.CancellationToken);
            });

        Field<NonNullGraphType<RegionPayloadGraphType>>("deleteRegion")
            .Requires(Roles.Admin)
            .Description("Deletes an empty region and stops its controllers.")
            .Argument<NonNullGraphType<RegionRefInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RegionRefInput>("input");
                return await Commands(c).DeleteRegionAsync(c.Caller(), Key(input.Id, GlobalId.Region), c.CancellationToken);
            });

        Field<NonNullGraphType<ImportTopologyPayloadGraphType>>("importTopology")
            .Requires(Roles.Operator)
            .Description("Imports GML text or a Topology Zoo network into a region of the simulated network, all or nothing.")
            .Argument<NonNullGraphType<ImportTopologyInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ImportTopologyInput>("input");
                return await Commands(c).ImportTopologyAsync(c.Caller(), Key(input.RegionId, GlobalId.Region), input.Gml, input.ZooFile, input.Name, c.CancellationToken);
            });

        Field<NonNullGraphType<RegionPayloadGraphType>>("triggerDiscovery")
            .Requires(Roles.Operator)
            .Description("Runs a discovery cycle of the region now.")
            .Argument<NonNullGraphType<RegionRefInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RegionRefInput>("input");
                return await Commands(c).TriggerDiscoveryAsync(c.Caller(), Key(input.Id, GlobalId.Region), c.CancellationToken);
            });

        Field<NonNullGraphType<GlobalPolicyPayloadGraphType>>("setGlobalPolicy")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Stores a new version of the tenant's global policy; every region adopts it.")
            .Argument<NonNullGraphType<SetGlobalPolicyInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SetGlobalPolicyInput>("input");
                return await Commands(c).SetGlobalPolicyAsync(c.Caller(), input.DiscoveryIntervalSeconds, input.MissedCyclesUntilInactive, input.MinimumIntervalSeconds, input.MaximumIntervalSeconds);
            });

        Field<NonNullGraphType<DevicePayloadGraphType>>("setDeviceDown")
            .Requires(Roles.Operator)
            .Description("Sandbox: takes a simulated device (by id, key, or name where it is unique) down, so it stops answering discovery, or brings it back.")
            .Argument<NonNullGraphType<SandboxInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SandboxInput>("input");
                return await Sandbox(c).SetDeviceDownAsync(c.Caller(), input.Id, input.Down, c.CancellationToken);
            });

        Field<NonNullGraphType<LinkPayloadGraphType>>("setLinkDown")
            .Requires(Roles.Operator)
            .Description("Sandbox: takes a simulated link down (both interfaces go down) or brings it back.")
            .Argument<NonNullGraphType<SandboxInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SandboxInput>("input");
                return await Sandbox(c).SetLinkDownAsync(c.Caller(), Key(input.Id, GlobalId.Link), input.Down, c.CancellationToken);
            });

        Field<NonNullGraphType<DevicePayloadGraphType>>("jumpCounters")
            .Requires(Roles.Operator)
            .Description("Sandbox: makes the interface counters of a simulated device (by id, key, or name where it is unique) jump forward by some octets, as a counter wrap or reset would.")
            .Argument<NonNullGraphType<JumpCountersInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<JumpCountersInput>("input");
                return await Sandbox(c).JumpCountersAsync(c.Caller(), input.Id, input.Octets, c.CancellationToken);
            });

        SecurityFields(this);
        ChangeFields(this);
        Intents.IntentQueryFields.AddMutations(this);
        ConfigSandboxFields(this);
        Webhooks.WebhookFields.AddMutations(this);
        Analytics.AnalyticsFields.AddMutations(this);
        Analytics.AnalyticsFields.AddPolicyMutation(this);
    }

    private static void ConfigSandboxFields(Mutation m)
    {
        m.Field<NonNullGraphType<DevicePayloadGraphType>>("setConfigFault")
            .Requires(Roles.Operator)
            .Description("Sandbox: sets the config faults of a simulated device (apply refused, read-back mismatch, hang, rollback refused, apply delay); omitted faults are off.")
            .Argument<NonNullGraphType<SetConfigFaultInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SetConfigFaultInput>("input");
                var faults = new Abstractions.Simulation.SimulatedConfigFaults(input.ApplyFails, input.ReadBackMismatch, input.Hang, input.RollbackFails, input.DelayMs);
                return await Sandbox(c).SetConfigFaultAsync(c.Caller(), input.DeviceId, faults, c.CancellationToken);
            });

        m.Field<NonNullGraphType<DevicePayloadGraphType>>("setRunningConfig")
            .Requires(Roles.Operator)
            .Description("Sandbox: changes a simulated device's running config behind PDSNO's back, as a person at its console would; the next discovery sees it (CONFIG_DRIFT, and a disabled interface takes its link down).")
            .Argument<NonNullGraphType<SetRunningConfigInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SetRunningConfigInput>("input");
                var patch = new Abstractions.Config.ConfigPatch(
                    input.Hostname,
                    input.Location,
                    input.Contact,
                    input.NtpServers is null ? null : [.. input.NtpServers],
                    input.DnsServers is null ? null : [.. input.DnsServers],
                    [.. (input.Interfaces ?? []).Select(i => new Abstractions.Config.InterfacePatch(i.Name, i.Enabled, i.Description, i.Mtu))],
                    [.. (input.AddRoutes ?? []).Select(r => new Abstractions.Config.StaticRoute(r.Prefix, r.NextHop, r.Interface, r.Metric ?? 0))],
                    [.. (input.RemoveRoutes ?? []).Select(r => new Abstractions.Config.RouteRef(r.Prefix, r.NextHop))]);
                return await Sandbox(c).SetRunningConfigAsync(c.Caller(), input.DeviceId, patch, c.CancellationToken);
            });
    }

    private static void ChangeFields(Mutation m)
    {
        m.Field<NonNullGraphType<ChangePayloadGraphType>>("proposeChange")
            .Requires(Roles.Operator)
            .Description("Proposes a configuration change: validated, diffed per device, assessed on the live topology and classified. LOW and EMERGENCY changes are approved at once.")
            .Argument<NonNullGraphType<ProposeChangeInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).ProposeAsync(c.Caller(), c.GetArgument<ProposeChangeInput>("input"), c.CancellationToken));

        m.Field<NonNullGraphType<ChangePayloadGraphType>>("updateChange")
            .Requires(Roles.Operator)
            .Description("Replaces the proposal of a change that has not started executing; every approval and the execution token are withdrawn.")
            .Argument<NonNullGraphType<UpdateChangeInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).UpdateAsync(c.Caller(), c.GetArgument<ProposeChangeInput>("input"), c.CancellationToken));

        m.Field<NonNullGraphType<ChangePayloadGraphType>>("approveChange")
            .RequiresAny(Roles.RegionApprover | Roles.GlobalApprover)
            .Description("Approves a change: MEDIUM needs region approvers of every region it touches, HIGH global approvers; never the change's own proposer.")
            .Argument<NonNullGraphType<ChangeActionInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).ApproveAsync(c.Caller(), c.GetArgument<ChangeActionInput>("input")));

        m.Field<NonNullGraphType<ChangePayloadGraphType>>("rejectChange")
            .RequiresAny(Roles.RegionApprover | Roles.GlobalApprover)
            .Description("Rejects a change not yet executing (final).")
            .Argument<NonNullGraphType<ChangeActionInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).RejectAsync(c.Caller(), c.GetArgument<ChangeActionInput>("input")));

        m.Field<NonNullGraphType<ChangePayloadGraphType>>("acknowledgeEmergency")
            .Requires(Roles.GlobalApprover)
            .Description("Acknowledges an emergency change.")
            .Argument<NonNullGraphType<ChangeActionInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).AcknowledgeEmergencyAsync(c.Caller(), c.GetArgument<ChangeActionInput>("input")));

        m.Field<NonNullGraphType<ChangePayloadGraphType>>("executeChange")
            .Requires(Roles.Operator)
            .Description("Redeems the approved change's single-use execution token and applies every target with read-back; a failure rolls the applied targets back in reverse order. Answers the final state.")
            .Argument<NonNullGraphType<ChangeActionInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).ExecuteAsync(c.Caller(), c.GetArgument<ChangeActionInput>("input")));

        m.Field<NonNullGraphType<ChangePayloadGraphType>>("cancelChange")
            .Requires(Roles.Operator)
            .Description("Cancels a change that has not started executing.")
            .Argument<NonNullGraphType<ChangeActionInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).CancelAsync(c.Caller(), c.GetArgument<ChangeActionInput>("input")));

        m.Field<NonNullGraphType<ChangePayloadGraphType>>("restoreConfig")
            .Requires(Roles.Operator)
            .Description("Proposes the change that brings a device back to an earlier config version.")
            .Argument<NonNullGraphType<RestoreConfigInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).RestoreConfigAsync(c.Caller(), c.GetArgument<RestoreConfigInput>("input"), c.CancellationToken));

        m.Field<NonNullGraphType<GlobalPolicyPayloadGraphType>>("setChangePolicy")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Stores a new global policy version with these change rules (omitted values keep theirs); every region adopts it.")
            .Argument<NonNullGraphType<SetChangePolicyInputGraphType>>("input")
            .ResolveAsync(async c => await Changes(c).SetChangePolicyAsync(c.Caller(), c.GetArgument<SetChangePolicyInput>("input")));
    }

    private static ChangeCommands Changes(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<ChangeCommands>();

    private static void SecurityFields(Mutation m)
    {
        m.Field<NonNullGraphType<CreateApiTokenPayloadGraphType>>("createApiToken")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Creates an API token of your tenant; its secret is in the payload, shown this once.")
            .Argument<NonNullGraphType<CreateApiTokenInputGraphType>>("input")
            .ResolveAsync(async c => await Security(c).CreateTokenAsync(c.Caller(), c.GetArgument<CreateApiTokenInput>("input")));

        m.Field<NonNullGraphType<ApiTokenPayloadGraphType>>("revokeApiToken")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Revokes an API token of your tenant; it stops working at once, on every silo.")
            .Argument<NonNullGraphType<RevokeApiTokenInputGraphType>>("input")
            .ResolveAsync(async c => await Security(c).RevokeTokenAsync(c.Caller(), c.GetArgument<RevokeApiTokenInput>("input").Id));

        m.Field<NonNullGraphType<CreateApiTokenPayloadGraphType>>("createTenant")
            .Requires(Roles.Admin, tenantWide: true)
            .Description("Provider tenant admins only: creates a tenant and its first admin token (secret shown this once).")
            .Argument<NonNullGraphType<CreateTenantInputGraphType>>("input")
            .ResolveAsync(async c => await Security(c).CreateTenantAsync(c.Caller(), c.GetArgument<CreateTenantInput>("input")));
    }

    private static SecurityCommands Security(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<SecurityCommands>();

    /// <summary>The key of a global id of <paramref name="type"/>; anything else is taken as a key itself.</summary>
    internal static string Key(string id, string type) =>
        GlobalId.TryDecode(id, out var decodedType, out var key) && decodedType == type ? key : id;

    private static TopologyCommands Commands(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<TopologyCommands>();

    private static SandboxCommands Sandbox(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<SandboxCommands>();
}
