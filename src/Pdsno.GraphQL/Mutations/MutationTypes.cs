using GraphQL.Types;
using Pdsno.Abstractions.Policy;
using Pdsno.GraphQL.Types;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Mutations;

/// <summary>GraphQL <c>UserErrorCode</c>.</summary>
public sealed class UserErrorCodeGraphType : EnumerationGraphType<UserErrorCode>
{
    /// <summary>Declares the codes.</summary>
    public UserErrorCodeGraphType()
    {
        Name = "UserErrorCode";
    }
}

/// <summary>GraphQL <c>UserError</c>: why a mutation did not act, and on which input field.</summary>
public sealed class UserErrorGraphType : ObjectGraphType<UserError>
{
    /// <summary>Declares the fields.</summary>
    public UserErrorGraphType()
    {
        Name = "UserError";
        Field(x => x.Code, type: typeof(NonNullGraphType<UserErrorCodeGraphType>));
        Field(x => x.Message);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("field").Resolve(c => c.Source.Field);
    }
}

/// <summary>A payload: the changed object plus <c>errors</c>.</summary>
public abstract class PayloadGraphType<TValue, TGraph> : ObjectGraphType<CommandResult<TValue>>
    where TValue : class
    where TGraph : IGraphType
{
    /// <summary>Declares the object and error fields.</summary>
    protected PayloadGraphType(string name, string objectField)
    {
        Name = name;
        Field<TGraph>(objectField).Resolve(c => c.Source.Value);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Resolve(c => c.Source.Errors);
    }
}

/// <summary>GraphQL <c>RegionPayload</c>.</summary>
public sealed class RegionPayloadGraphType() : PayloadGraphType<RegionRecord, RegionGraphType>("RegionPayload", "region");

/// <summary>GraphQL <c>DevicePayload</c>.</summary>
public sealed class DevicePayloadGraphType() : PayloadGraphType<DeviceRecord, DeviceGraphType>("DevicePayload", "device");

/// <summary>GraphQL <c>LinkPayload</c>.</summary>
public sealed class LinkPayloadGraphType() : PayloadGraphType<LinkRecord, LinkGraphType>("LinkPayload", "link");

/// <summary>GraphQL <c>GlobalPolicyPayload</c>.</summary>
public sealed class GlobalPolicyPayloadGraphType() : PayloadGraphType<GlobalPolicy, GlobalPolicyGraphType>("GlobalPolicyPayload", "policy");

/// <summary>GraphQL <c>ImportTopologyPayload</c>: the region and what the importer skipped or renamed.</summary>
public sealed class ImportTopologyPayloadGraphType : ObjectGraphType<CommandResult<ImportOutcome>>
{
    /// <summary>Declares the fields.</summary>
    public ImportTopologyPayloadGraphType()
    {
        Name = "ImportTopologyPayload";
        Field<RegionGraphType>("region").Resolve(c => c.Source.Value?.Region);
        Field<IntGraphType>("devicesImported").Resolve(c => c.Source.Value?.DevicesImported);
        Field<IntGraphType>("linksImported").Resolve(c => c.Source.Value?.LinksImported);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("skipped").Resolve(c => c.Source.Value?.Skipped ?? []);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Resolve(c => c.Source.Errors);
    }
}

/// <summary>Input of <c>createRegion</c>.</summary>
public sealed class CreateRegionInput
{
    public string Id { get; set; } = "";

    public string? Name { get; set; }
}

/// <summary>GraphQL <c>CreateRegionInput</c>.</summary>
public sealed class CreateRegionInputGraphType : InputObjectGraphType<CreateRegionInput>
{
    /// <summary>Declares the fields.</summary>
    public CreateRegionInputGraphType()
    {
        Name = "CreateRegionInput";
        Field(x => x.Id).Description("The new region's key: letters, digits and punctuation other than '/', at most 128 characters.");
        Field(x => x.Name, nullable: true).Description("A display name.");
    }
}

/// <summary>Input of <c>renameRegion</c>.</summary>
public sealed class RenameRegionInput
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}

/// <summary>GraphQL <c>RenameRegionInput</c>.</summary>
public sealed class RenameRegionInputGraphType : InputObjectGraphType<RenameRegionInput>
{
    /// <summary>Declares the fields.</summary>
    public RenameRegionInputGraphType()
    {
        Name = "RenameRegionInput";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The region's global id (or key).");
        Field(x => x.Name);
    }
}

/// <summary>Input naming one region.</summary>
public sealed class RegionRefInput
{
    public string Id { get; set; } = "";
}

/// <summary>GraphQL <c>RegionRefInput</c>.</summary>
public sealed class RegionRefInputGraphType : InputObjectGraphType<RegionRefInput>
{
    /// <summary>Declares the fields.</summary>
    public RegionRefInputGraphType()
    {
        Name = "RegionRefInput";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The region's global id (or key).");
    }
}

/// <summary>Input of <c>importTopology</c>.</summary>
public sealed class ImportTopologyInput
{
    public string RegionId { get; set; } = "";

    public string? Gml { get; set; }

    public string? ZooFile { get; set; }

    public string? Name { get; set; }
}

/// <summary>GraphQL <c>ImportTopologyInput</c>.</summary>
public sealed class ImportTopologyInputGraphType : InputObjectGraphType<ImportTopologyInput>
{
    /// <summary>Declares the fields.</summary>
    public ImportTopologyInputGraphType()
    {
        Name = "ImportTopologyInput";
        Field(x => x.RegionId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The region to import into (global id or key); an admin may name a new region, which is then created.");
        Field(x => x.Gml, nullable: true).Description("GML text; give this or zooFile.");
        Field(x => x.ZooFile, nullable: true).Description("A Topology Zoo network name, e.g. Abilene.");
        Field(x => x.Name, nullable: true).Description("The name of this part of the simulated network; re-importing under the same name into the same region replaces it.");
    }
}

/// <summary>Input of <c>setGlobalPolicy</c>.</summary>
public sealed class SetGlobalPolicyInput
{
    public int DiscoveryIntervalSeconds { get; set; }

    public int MissedCyclesUntilInactive { get; set; }

    public int? MinimumIntervalSeconds { get; set; }

    public int? MaximumIntervalSeconds { get; set; }
}

/// <summary>GraphQL <c>SetGlobalPolicyInput</c>.</summary>
public sealed class SetGlobalPolicyInputGraphType : InputObjectGraphType<SetGlobalPolicyInput>
{
    /// <summary>Declares the fields.</summary>
    public SetGlobalPolicyInputGraphType()
    {
        Name = "SetGlobalPolicyInput";
        Field(x => x.DiscoveryIntervalSeconds);
        Field(x => x.MissedCyclesUntilInactive);
        Field(x => x.MinimumIntervalSeconds, nullable: true).Description("The shortest interval a changing region adapts down to; omitted with the maximum, the interval is fixed.");
        Field(x => x.MaximumIntervalSeconds, nullable: true).Description("The longest interval a stable region adapts up to.");
    }
}

/// <summary>Input of the sandbox controls.</summary>
public sealed class SandboxInput
{
    public string Id { get; set; } = "";

    public bool Down { get; set; }
}

/// <summary>GraphQL <c>SandboxInput</c> of <c>setDeviceDown</c> and <c>setLinkDown</c>.</summary>
public sealed class SandboxInputGraphType : InputObjectGraphType<SandboxInput>
{
    /// <summary>Declares the fields.</summary>
    public SandboxInputGraphType()
    {
        Name = "SandboxInput";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The link's global id or key (setLinkDown), or the device's id, key, name or region/name (setDeviceDown).");
        Field(x => x.Down).Description("True takes it down, false brings it back.");
    }
}

/// <summary>Input of <c>jumpCounters</c>.</summary>
public sealed class JumpCountersInput
{
    public string Id { get; set; } = "";

    public long Octets { get; set; }
}

/// <summary>GraphQL <c>JumpCountersInput</c>.</summary>
public sealed class JumpCountersInputGraphType : InputObjectGraphType<JumpCountersInput>
{
    /// <summary>Declares the fields.</summary>
    public JumpCountersInputGraphType()
    {
        Name = "JumpCountersInput";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The device's global id, key, or name where it is unique.");
        Field(x => x.Octets, type: typeof(NonNullGraphType<LongGraphType>)).Description("How far every interface counter of the device jumps forward (0 or more).");
    }
}
