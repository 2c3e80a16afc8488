using GraphQL.Types;
using Pdsno.Abstractions.Intents;
using Pdsno.GraphQL.Changes;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Types;

namespace Pdsno.GraphQL.Intents;

/// <summary>GraphQL <c>IntentPath</c>.</summary>
public sealed class IntentPathGraphType : ObjectGraphType<IntentPath>
{
    /// <summary>Declares the fields.</summary>
    public IntentPathGraphType()
    {
        Name = "IntentPath";
        Description = "A path from the intent's A end: its devices in order and the links between them.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("deviceKeys").Resolve(c => c.Source.Devices);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("linkKeys").Resolve(c => c.Source.Links);
        Field<NonNullGraphType<IntGraphType>>("hops").Resolve(c => c.Source.Links.Length);
        Field<NonNullGraphType<ListGraphType<DeviceGraphType>>>("devices").Resolve(c => c.Loaders().Devices.LoadMany(c.Source.Devices));
    }
}

/// <summary>GraphQL <c>LinkLoad</c>.</summary>
public sealed class LinkLoadGraphType : ObjectGraphType<LinkLoad>
{
    /// <summary>Declares the fields.</summary>
    public LinkLoadGraphType()
    {
        Name = "LinkLoad";
        Description = "A link's reservable capacity (speed x headroom) and what intents reserve on it before and after.";
        Field("linkKey", x => x.Link);
        Field(x => x.CapacityBps, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.ReservedBeforeBps, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.ReservedAfterBps, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<LongGraphType>>("headroomBeforeBps").Resolve(c => c.Source.CapacityBps - c.Source.ReservedBeforeBps);
        Field<NonNullGraphType<LongGraphType>>("headroomAfterBps").Resolve(c => c.Source.CapacityBps - c.Source.ReservedAfterBps);
    }
}

/// <summary>GraphQL <c>IntentConflict</c>.</summary>
public sealed class IntentConflictGraphType : ObjectGraphType<IntentConflict>
{
    /// <summary>Declares the fields.</summary>
    public IntentConflictGraphType()
    {
        Name = "IntentConflict";
        Field(x => x.Kind, type: typeof(NonNullGraphType<ConflictKindGraphType>));
        Field("otherIntentKey", x => x.OtherIntent).Description("The intent this one conflicts with.");
        Field(x => x.Message);
        Field("deviceKey", x => x.Device, nullable: true);
        Field("linkKey", x => x.Link, nullable: true);
    }
}

/// <summary>GraphQL <c>IntentDevicePatch</c>.</summary>
public sealed class DevicePatchGraphType : ObjectGraphType<DevicePatch>
{
    /// <summary>Declares the fields.</summary>
    public DevicePatchGraphType()
    {
        Name = "IntentDevicePatch";
        Description = "What the intent would set on one device, as a governed change's target.";
        Field("deviceKey", x => x.Device);
        Field<NonNullGraphType<ChangePatchGraphType>>("patch").Resolve(c => c.Source.Patch);
    }
}

/// <summary>GraphQL <c>IntentPreview</c>.</summary>
public sealed class IntentCompilationGraphType : ObjectGraphType<IntentCompilation>
{
    /// <summary>Declares the fields.</summary>
    public IntentCompilationGraphType()
    {
        Name = "IntentPreview";
        Description = "An intent compiled against the live topology and ledger; nothing is stored.";
        Field("intentKey", x => x.Intent);
        Field(x => x.Feasible).Description("Whether a path (and the backup asked for) exists now; when false the intent would be FAILED and retried.");
        Field(x => x.Reason, nullable: true);
        Field<IntentPathGraphType>("path").Resolve(c => c.Source.Path);
        Field<IntentPathGraphType>("backupPath").Resolve(c => c.Source.Backup);
        Field(x => x.ReservedBps, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LinkLoadGraphType>>>>("links").Description("Every link whose reservation it changes, before and after.").Resolve(c => c.Source.Links);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntentConflictGraphType>>>>("conflicts").Resolve(c => c.Source.Conflicts);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DevicePatchGraphType>>>>("patches").Description("The per-device patches that would install it.").Resolve(c => c.Source.Patches);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("displacedIntentKeys").Description("Lower-priority intents whose capacity it would take.").Resolve(c => c.Source.Displaced);
    }
}

/// <summary>GraphQL <c>IntentReroute</c>.</summary>
public sealed class IntentRerouteGraphType : ObjectGraphType<IntentReroute>
{
    /// <summary>Declares the fields.</summary>
    public IntentRerouteGraphType()
    {
        Name = "IntentReroute";
        Field("intentKey", x => x.Intent);
        Field<NonNullGraphType<IntentPathGraphType>>("oldPath").Resolve(c => c.Source.OldPath);
        Field<NonNullGraphType<IntentPathGraphType>>("newPath").Resolve(c => c.Source.NewPath);
    }
}

/// <summary>GraphQL <c>IntentFailure</c>.</summary>
public sealed class IntentFailureGraphType : ObjectGraphType<IntentFailure>
{
    /// <summary>Declares the fields.</summary>
    public IntentFailureGraphType()
    {
        Name = "IntentFailure";
        Field("intentKey", x => x.Intent);
        Field(x => x.Reason);
    }
}

/// <summary>GraphQL <c>FailurePreview</c>.</summary>
public sealed class FailurePreviewGraphType : ObjectGraphType<FailurePreview>
{
    /// <summary>Declares the fields.</summary>
    public FailurePreviewGraphType()
    {
        Name = "FailurePreview";
        Description = "What would happen to the intents if the links and devices named failed now; nothing is stored.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntentRerouteGraphType>>>>("rerouted").Resolve(c => c.Source.Rerouted);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntentFailureGraphType>>>>("failed").Resolve(c => c.Source.Failed);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LinkLoadGraphType>>>>("links").Description("Every link whose reserved load would change, and the failed links.").Resolve(c => c.Source.Links);
    }
}
