using GraphQL.Types;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>ApiToken</c>: a token without its secret.</summary>
public sealed class ApiTokenGraphType : ObjectGraphType<ApiTokenInfo>
{
    /// <summary>Declares the fields.</summary>
    public ApiTokenGraphType()
    {
        Name = "ApiToken";
        Description = "An API token. Its secret is shown once, when it is created, and never stored.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The token id: the part after pdsno_ and before the secret.").Resolve(c => c.Source.Id);
        Field(x => x.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Resolve(c => RoleNames.Names(c.Source.Roles));
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("regions")
            .Description("The regions the token is limited to; null: all regions of the tenant.")
            .Resolve(c => c.Source.Regions.IsDefaultOrEmpty ? null : c.Source.Regions);
        Field(x => x.CreatedAt);
        Field(x => x.CreatedBy).Description("Who created it (a token id and name, or system).");
        Field(x => x.ExpiresAt, nullable: true);
        Field(x => x.RevokedAt, nullable: true);
        Field(x => x.LastUsedAt, nullable: true).Description("When it last authenticated (recorded to the minute).");
        Field<NonNullGraphType<BooleanGraphType>>("active").Description("Neither revoked nor expired.").Resolve(c => c.Source.IsActiveAt(DateTimeOffset.UtcNow));
    }
}

/// <summary>GraphQL <c>Viewer</c>: who the caller is.</summary>
public sealed class ViewerGraphType : ObjectGraphType<Caller>
{
    /// <summary>Declares the fields.</summary>
    public ViewerGraphType()
    {
        Name = "Viewer";
        Description = "The caller as its token makes it: tenant, token, roles and regions.";
        Field(x => x.Tenant);
        Field<NonNullGraphType<IdGraphType>>("tokenId").Resolve(c => c.Source.TokenId);
        Field(x => x.TokenName);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Resolve(c => RoleNames.Names(c.Source.Roles));
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("regions")
            .Description("The regions the token is limited to; null: all regions of the tenant.")
            .Resolve(c => c.Source.IsRegionScoped ? c.Source.Regions : null);
    }
}
