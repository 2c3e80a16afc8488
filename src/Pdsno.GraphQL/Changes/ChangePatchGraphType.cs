using GraphQL.Types;
using Pdsno.Abstractions.Config;

namespace Pdsno.GraphQL.Changes;

/// <summary>GraphQL <c>ChangePatch</c>: what a change sets on one device (absent fields stay as they are).</summary>
public sealed class ChangePatchGraphType : ObjectGraphType<ConfigPatch>
{
    /// <summary>Declares the fields.</summary>
    public ChangePatchGraphType()
    {
        Name = "ChangePatch";
        Field(x => x.Hostname, nullable: true);
        Field(x => x.Location, nullable: true);
        Field(x => x.Contact, nullable: true);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("ntpServers").Resolve(c => c.Source.NtpServers);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("dnsServers").Resolve(c => c.Source.DnsServers);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeInterfacePatchGraphType>>>>("interfaces").Resolve(c => c.Source.Interfaces.IsDefault ? [] : c.Source.Interfaces);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeRouteGraphType>>>>("addRoutes").Resolve(c => c.Source.AddRoutes.IsDefault ? [] : c.Source.AddRoutes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeRouteRefGraphType>>>>("removeRoutes").Resolve(c => c.Source.RemoveRoutes.IsDefault ? [] : c.Source.RemoveRoutes);
    }
}

/// <summary>GraphQL <c>ChangeInterfacePatch</c>.</summary>
public sealed class ChangeInterfacePatchGraphType : ObjectGraphType<InterfacePatch>
{
    /// <summary>Declares the fields.</summary>
    public ChangeInterfacePatchGraphType()
    {
        Name = "ChangeInterfacePatch";
        Field(x => x.Name);
        Field(x => x.Enabled, nullable: true);
        Field(x => x.Description, nullable: true);
        Field(x => x.Mtu, nullable: true);
    }
}

/// <summary>GraphQL <c>ChangeRoute</c>: a static route a change adds.</summary>
public sealed class ChangeRouteGraphType : ObjectGraphType<StaticRoute>
{
    /// <summary>Declares the fields.</summary>
    public ChangeRouteGraphType()
    {
        Name = "ChangeRoute";
        Field(x => x.Prefix);
        Field(x => x.NextHop);
        Field(x => x.Interface, nullable: true);
        Field(x => x.Metric);
    }
}

/// <summary>GraphQL <c>ChangeRouteRef</c>: a static route a change removes (every next hop when none is given).</summary>
public sealed class ChangeRouteRefGraphType : ObjectGraphType<RouteRef>
{
    /// <summary>Declares the fields.</summary>
    public ChangeRouteRefGraphType()
    {
        Name = "ChangeRouteRef";
        Field(x => x.Prefix);
        Field(x => x.NextHop, nullable: true);
    }
}
