using GraphQL.Builders;
using GraphQL.Types;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>The role a field needs, kept in the field's metadata for <see cref="AuthorizationRule"/>.</summary>
public static class FieldAccess
{
    internal const string RoleKey = "pdsno.requires";
    internal const string TenantWideKey = "pdsno.tenant-wide";
    internal const string AnyRoleKey = "pdsno.requires-any";

    /// <summary>
    /// Declares that the field needs <paramref name="role"/>; <paramref name="tenantWide"/> also refuses tokens limited
    /// to regions. Root fields without a declaration need: viewer for queries and subscriptions, admin for mutations.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> Requires<TSource, TReturn>(this FieldBuilder<TSource, TReturn> builder, Roles role, bool tenantWide = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.FieldType.Metadata[RoleKey] = role;
        builder.FieldType.Metadata[TenantWideKey] = tenantWide;
        return builder;
    }

    /// <summary>Declares that the field needs at least one of <paramref name="roles"/> (e.g. either approver role).</summary>
    public static FieldBuilder<TSource, TReturn> RequiresAny<TSource, TReturn>(this FieldBuilder<TSource, TReturn> builder, Roles roles)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.FieldType.Metadata[RoleKey] = Roles.Viewer;
        builder.FieldType.Metadata[AnyRoleKey] = roles;
        builder.FieldType.Metadata[TenantWideKey] = false;
        return builder;
    }

    /// <summary>The roles of which a field needs one, or <see cref="Roles.None"/> when it names a single role.</summary>
    public static Roles AnyOf(FieldType field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.GetMetadata(AnyRoleKey, Roles.None);
    }

    /// <summary>The role and scope a field needs, with the defaults of its root type.</summary>
    public static (Roles Role, bool TenantWide) Of(FieldType field, bool isMutationRoot)
    {
        ArgumentNullException.ThrowIfNull(field);
        var role = field.GetMetadata(RoleKey, isMutationRoot ? Roles.Admin : Roles.Viewer);
        var tenantWide = field.GetMetadata(TenantWideKey, isMutationRoot);
        return (role, tenantWide);
    }
}
