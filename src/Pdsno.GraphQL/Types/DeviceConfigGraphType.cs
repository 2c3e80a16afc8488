using GraphQL.Types;
using Pdsno.Abstractions.Config;
using Pdsno.GraphQL.Enums;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>DeviceConfig</c>: the one typed config model every driver reads and applies.</summary>
public sealed class DeviceConfigGraphType : ObjectGraphType<DeviceConfig>
{
    /// <summary>Declares the model's fields.</summary>
    public DeviceConfigGraphType()
    {
        Name = "DeviceConfig";
        Description = "A device's configuration in the one model every driver reads and applies; lists in canonical order.";
        Field(x => x.Hostname);
        Field(x => x.Location);
        Field(x => x.Contact);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("ntpServers").Resolve(c => c.Source.NtpServers);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("dnsServers").Resolve(c => c.Source.DnsServers);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InterfaceConfigGraphType>>>>("interfaces").Resolve(c => c.Source.Interfaces);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StaticRouteGraphType>>>>("routes").Resolve(c => c.Source.Routes);
    }
}

/// <summary>GraphQL <c>InterfaceConfig</c>: admin state, description and MTU of one interface.</summary>
public sealed class InterfaceConfigGraphType : ObjectGraphType<InterfaceConfig>
{
    /// <summary>Declares the interface settings.</summary>
    public InterfaceConfigGraphType()
    {
        Name = "InterfaceConfig";
        Field(x => x.Name);
        Field(x => x.Enabled).Description("Admin state: false is shut down.");
        Field(x => x.Description);
        Field(x => x.Mtu);
    }
}

/// <summary>GraphQL <c>StaticRoute</c>.</summary>
public sealed class StaticRouteGraphType : ObjectGraphType<StaticRoute>
{
    /// <summary>Declares the route's fields.</summary>
    public StaticRouteGraphType()
    {
        Name = "StaticRoute";
        Field(x => x.Prefix);
        Field(x => x.NextHop);
        Field(x => x.Interface, nullable: true);
        Field(x => x.Metric);
    }
}

/// <summary>GraphQL <c>ConfigDriftEntry</c>: one setting where the running config differs from the intended one.</summary>
public sealed class ConfigDriftEntryGraphType : ObjectGraphType<ConfigDiffEntry>
{
    /// <summary>Declares path, before (intended) and after (observed).</summary>
    public ConfigDriftEntryGraphType()
    {
        Name = "ConfigDriftEntry";
        Field(x => x.Path).Description("The setting, e.g. interfaces[eth1].enabled or routes[10.0.0.0/8 via 192.0.2.1].");
        Field(x => x.Before, nullable: true).Description("What PDSNO intends (null: absent).");
        Field(x => x.After, nullable: true).Description("What the device runs (null: absent).");
    }
}

/// <summary>GraphQL <c>DeviceConfigState</c>: a device's intended and observed config, drift, lock and degradation.</summary>
public sealed class DeviceConfigStateGraphType : ObjectGraphType<DeviceConfigRecord>
{
    /// <summary>Declares the fields of <c>Device.config</c>.</summary>
    public DeviceConfigStateGraphType()
    {
        Name = "DeviceConfigState";
        Description = "A device's config as PDSNO intends it and as the device last reported it.";
        Field<NonNullGraphType<DeviceConfigGraphType>>("intended").Description("What the last applied change (or the first observation, version 1) set.").Resolve(c => c.Source.Intended);
        Field(x => x.Version).Description("The version of the intended config: 1 as first observed, one more per applied change.");
        Field<DeviceConfigGraphType>("observed").Description("What the driver last read; null when it reads no config.").Resolve(c => c.Source.Observed);
        Field(x => x.ObservedAt, nullable: true).Description("When the observed config was last read and found changed.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConfigSectionGraphType>>>>("sections")
            .Description("What the driver reads; drift is judged on these only.")
            .Resolve(c => Enum.GetValues<ConfigSections>().Where(s => s is not ConfigSections.None and not ConfigSections.All && c.Source.Sections.HasFlag(s)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConfigDriftEntryGraphType>>>>("drift")
            .Description("Where the observed config differs from the intended one (within the sections read); empty when in sync.")
            .Resolve(c => c.Source.Observed is null || c.Source.Sections == ConfigSections.None
                ? []
                : ConfigDiff.Compute(c.Source.Intended.Only(c.Source.Sections), c.Source.Observed.Only(c.Source.Sections)));
        Field(x => x.LockedBy, nullable: true).Description("The change executing on the device, if any.");
        Field(x => x.DegradedReason, nullable: true).Description("Why the device is DEGRADED (a rollback that failed); null otherwise.");
    }
}

/// <summary>GraphQL <c>ConfigVersion</c>: one applied version of a device's config.</summary>
public sealed class ConfigVersionGraphType : ObjectGraphType<ConfigVersion>
{
    /// <summary>Declares the version's fields.</summary>
    public ConfigVersionGraphType()
    {
        Name = "ConfigVersion";
        Description = "One applied version of a device's config; any can be restored as a new change.";
        Field(x => x.Version);
        Field<NonNullGraphType<DeviceConfigGraphType>>("config").Resolve(c => c.Source.Config);
        Field(x => x.ChangeId, nullable: true).Description("The change that applied it; null for the baseline taken by discovery.");
        Field(x => x.Actor).Description("Who the change acted for (discovery for the baseline).");
        Field(x => x.AppliedAt);
        Field(x => x.Rollback).Description("True when the version restored the config a failed change found.");
    }
}
