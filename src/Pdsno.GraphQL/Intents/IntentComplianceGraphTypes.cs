using System.Collections.Immutable;
using GraphQL.Types;
using Pdsno.Abstractions.Intents;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Types;

namespace Pdsno.GraphQL.Intents;

/// <summary>GraphQL <c>ComplianceSpec</c>: a compliance intent's selector and the partial config it asks for.</summary>
public sealed class ComplianceSpecGraphType : ObjectGraphType<ComplianceSpec>
{
    /// <summary>Declares the fields.</summary>
    public ComplianceSpecGraphType()
    {
        Name = "ComplianceSpec";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("regionKeys").Resolve(c => Array(c.Source.Regions));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Resolve(c => Array(c.Source.Roles));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("vendors").Resolve(c => Array(c.Source.Vendors));
        Field(x => x.NamePattern, nullable: true);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("ntpServers").Resolve(c => c.Source.NtpServers);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("dnsServers").Resolve(c => c.Source.DnsServers);
        Field(x => x.LocationTemplate, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InterfaceRuleGraphType>>>>("interfaceRules").Resolve(c => Array(c.Source.InterfaceRules));
        Field(x => x.AutoRemediate).Description("A remediation change the rules find LOW runs at once; otherwise it waits for an approver or an operator.");
    }

    private static ImmutableArray<T> Array<T>(ImmutableArray<T> values) => values.IsDefault ? [] : values;
}

/// <summary>GraphQL <c>InterfaceRule</c>.</summary>
public sealed class InterfaceRuleGraphType : ObjectGraphType<InterfaceRule>
{
    /// <summary>Declares the fields.</summary>
    public InterfaceRuleGraphType()
    {
        Name = "InterfaceRule";
        Field(x => x.NamePattern);
        Field(x => x.Description, nullable: true);
        Field(x => x.Enabled, nullable: true);
    }
}

/// <summary>GraphQL <c>IntentCompliance</c>: one page of the devices a compliance intent selects, judged.</summary>
public sealed class IntentComplianceGraphType : ObjectGraphType<IntentCompliance>
{
    /// <summary>Declares the fields.</summary>
    public IntentComplianceGraphType()
    {
        Name = "IntentCompliance";
        Field(x => x.TotalCount).Description("How many devices the intent selects now.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeviceComplianceGraphType>>>>("devices").Description("This page, by device key.").Resolve(c => c.Source.Devices);
        Field(x => x.HasNextPage);
        Field(x => x.EndCursor, nullable: true).Description("Pass as after for the next page.");
    }
}

/// <summary>GraphQL <c>DeviceCompliance</c>.</summary>
public sealed class DeviceComplianceGraphType : ObjectGraphType<DeviceCompliance>
{
    /// <summary>Declares the fields.</summary>
    public DeviceComplianceGraphType()
    {
        Name = "DeviceCompliance";
        Field("deviceKey", x => x.Device);
        Field<DeviceGraphType>("device").Resolve(c => c.Loaders().Devices.Load(c.Source.Device));
        Field(x => x.Compliant).Description("Its intended config carries the intent's values, and so does its observed config where it drifted.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("reasons")
            .Description("One line per key that differs, e.g. `ntpServers: has [10.0.0.1], wants [10.9.9.1]`; observed drift starts with `observed`.")
            .Resolve(c => c.Source.Reasons);
    }
}
