using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Changes;
using Pdsno.GraphQL.Live;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Types;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL;

/// <summary>The root subscription type: topology changes, device status and telemetry, each replayable with <c>since</c>.</summary>
public sealed class Subscription : ObjectGraphType
{
    private static readonly string[] StatusTypes = [nameof(TopologyEventType.DeviceStatusChanged)];

    private static readonly string[] ChangeTypes =
    [
        nameof(TopologyEventType.ChangeProposed), nameof(TopologyEventType.ChangeUpdated), nameof(TopologyEventType.ChangeApproved),
        nameof(TopologyEventType.ChangeRejected), nameof(TopologyEventType.ChangeExecuting), nameof(TopologyEventType.ChangeCompleted),
        nameof(TopologyEventType.EmergencyAcknowledged),
    ];

    private static readonly string[] IntentTypes = [nameof(TopologyEventType.IntentUpdated)];

    private static readonly string[] AnalyticsTypes =
        [nameof(TopologyEventType.CongestionPredicted), nameof(TopologyEventType.CongestionCleared), nameof(TopologyEventType.AnomalyDetected), nameof(TopologyEventType.IntentsReoptimized)];

    /// <summary>Declares the subscription fields.</summary>
    public Subscription()
    {
        Name = "Subscription";

        Field<NonNullGraphType<TopologyEventGraphType>>("topologyChanged")
            .WithMetadata(SharedEventResults.LiveShareable, true)
            .Description("Every topology event of the tenant (or of one region). With since, the durable log is replayed from that sequence first, then live events follow with no gap and no duplicate.")
            .Argument<IdGraphType>("regionId", "Only events of this region (global id or key).")
            .Argument<LongGraphType>("since", "Replay events with a sequence greater than this first.")
            .ResolveStream(c =>
            {
                var region = c.GetArgument<string?>("regionId");
                var filter = new EventQuery(Region: region is null ? null : Mutation.Key(region, GlobalId.Region), Scope: c.Scope(), HiddenTypes: c.HiddenEventTypes());
                return Follower(c).Follow(c.Tenant(), Since(c), filter);
            });

        Field<NonNullGraphType<ChangeEventGraphType>>("changeUpdated")
            .WithMetadata(SharedEventResults.LiveShareable, true)
            .Description("Every transition of the tenant's changes (of the regions you see), from the durable log: with since, replayed from that sequence first, then live with no gap.")
            .Argument<IdGraphType>("regionId", "Only changes touching this region (global id or key).")
            .Argument<IdGraphType>("changeId", "Only this change (global id or key).")
            .Argument<LongGraphType>("since", "Replay events with a sequence greater than this first.")
            .ResolveStream(c =>
            {
                var region = c.GetArgument<string?>("regionId");
                var change = c.GetArgument<string?>("changeId");
                var filter = new EventQuery(
                    Types: ChangeTypes,
                    Region: region is null ? null : Mutation.Key(region, GlobalId.Region),
                    Scope: c.Scope(),
                    Aggregate: change is null ? null : ChangeEventGraphType.AggregatePrefix + GlobalId.KeyOf(change, GlobalId.Change, "changeId"));
                return Follower(c).Follow(c.Tenant(), Since(c), filter);
            });

        Field<NonNullGraphType<Intents.IntentEventGraphType>>("intentUpdated")
            .WithMetadata(SharedEventResults.LiveShareable, true)
            .Description("Every transition of the tenant's intents (of the regions you see), from the durable log: with since, replayed from that sequence first, then live with no gap.")
            .Argument<IdGraphType>("intentId", "Only this intent (global id or key).")
            .Argument<LongGraphType>("since", "Replay events with a sequence greater than this first.")
            .ResolveStream(c =>
            {
                var intent = c.GetArgument<string?>("intentId");
                var filter = new EventQuery(
                    Types: IntentTypes,
                    Scope: c.Scope(),
                    Aggregate: intent is null ? null : Intents.IntentEventGraphType.AggregatePrefix + GlobalId.KeyOf(intent, GlobalId.Intent, "intentId"));
                return Follower(c).Follow(c.Tenant(), Since(c), filter);
            });

        Field<NonNullGraphType<TopologyEventGraphType>>("analyticsEvents")
            .WithMetadata(SharedEventResults.LiveShareable, true)
            .Description("CONGESTION_PREDICTED, CONGESTION_CLEARED, ANOMALY_DETECTED and INTENTS_REOPTIMIZED (what the closed loop did) of the tenant's links (of the regions you see, or of one), from the durable log: with since, replayed from that sequence first, then live with no gap.")
            .Argument<IdGraphType>("regionId", "Only events of this region (global id or key).")
            .Argument<LongGraphType>("since", "Replay events with a sequence greater than this first.")
            .ResolveStream(c =>
            {
                var region = c.GetArgument<string?>("regionId");
                var filter = new EventQuery(Types: AnalyticsTypes, Region: region is null ? null : Mutation.Key(region, GlobalId.Region), Scope: c.Scope());
                return Follower(c).Follow(c.Tenant(), Since(c), filter);
            });

        Field<NonNullGraphType<TopologyEventGraphType>>("deviceStatusChanged")
            .WithMetadata(SharedEventResults.LiveShareable, true)
            .Description("Status changes (ACTIVE, UNREACHABLE, INACTIVE) of one device, replayable with since.")
            .Argument<NonNullGraphType<IdGraphType>>("deviceId", "The device's global id, key, or name where it is unique.")
            .Argument<LongGraphType>("since", "Replay events with a sequence greater than this first.")
            .ResolveStreamAsync(async c =>
            {
                var since = Since(c);
                var device = await DeviceArguments.ResolveAsync(c, c.GetArgument<string>("deviceId"), "deviceId");
                return Follower(c).Follow(c.Tenant(), since, new EventQuery(Types: StatusTypes, Device: device.Key, Scope: c.Scope()));
            });

        Field<NonNullGraphType<TelemetrySampleGraphType>>("deviceTelemetry")
            .WithMetadata(SharedEventResults.LiveShareable, true)
            .Description("Counter readings of a device's interfaces as discovery polls them (not persisted: live only).")
            .Argument<NonNullGraphType<IdGraphType>>("deviceId", "The device's global id, key, or name where it is unique.")
            .ResolveStreamAsync(async c =>
            {
                var device = await DeviceArguments.ResolveAsync(c, c.GetArgument<string>("deviceId"), "deviceId");
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                return (IObservable<TelemetrySample>)Telemetry(grains, new DeviceId(c.Tenant(), device.Key), c.Caller());
            });
    }

    private static long? Since(IResolveFieldContext context)
    {
        var since = context.GetArgument<long?>("since");
        if (since is < 0)
        {
            throw new ExecutionError($"since must be 0 or more; it was {since}") { Code = Errors.ErrorCodes.BadUserInput };
        }

        return since;
    }

    private static EventFollower Follower(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<EventFollower>();

    // Telemetry lives in the device grain's window; new samples appear as discovery polls, so a poll a second
    // is enough to see each one.
    private static AsyncObservable<TelemetrySample> Telemetry(IGrainFactory grains, DeviceId device, Caller caller) =>
        new(async (observer, cancellationToken) =>
        {
            using var asCaller = CallerContext.Use(caller);
            var grain = grains.GetGrain<IDeviceGrain>(device.ToString());
            var last = DateTimeOffset.MinValue;
            if (await grain.GetSnapshotAsync() is not { } snapshot || !caller.CanSeeRegion(snapshot.Region))
            {
                throw new ExecutionError($"device '{device.Device}' not found") { Code = Errors.ErrorCodes.NotFound };
            }

            while (true)
            {
                var newest = last;
                foreach (var sample in await grain.GetTelemetryAsync())
                {
                    if (sample.At > last)
                    {
                        observer.OnNext(sample);
                        newest = sample.At > newest ? sample.At : newest;
                    }
                }

                last = newest;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        });
}
