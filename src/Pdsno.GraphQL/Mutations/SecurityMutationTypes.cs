using GraphQL.Types;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Types;

namespace Pdsno.GraphQL.Mutations;

/// <summary>Input of <c>createApiToken</c>.</summary>
public sealed class CreateApiTokenInput
{
    /// <summary>A name that says who or what uses the token.</summary>
    public string Name { get; set; } = "";

    /// <summary>Role names.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Region keys the token is limited to; null or empty: all.</summary>
    public List<string>? Regions { get; set; }

    /// <summary>When the token stops working; null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>GraphQL <c>CreateApiTokenInput</c>.</summary>
public sealed class CreateApiTokenInputGraphType : InputObjectGraphType<CreateApiTokenInput>
{
    /// <summary>Declares the fields.</summary>
    public CreateApiTokenInputGraphType()
    {
        Name = "CreateApiTokenInput";
        Field(x => x.Name).Description("Who or what uses the token, at most 100 characters.");
        Field(x => x.Roles, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>))
            .Description($"Any of {string.Join(", ", RoleNames.All)}.");
        Field(x => x.Regions, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Region keys the token is limited to; omitted: all regions.");
        Field(x => x.ExpiresAt, nullable: true).Description("When the token stops working; omitted: never.");
    }
}

/// <summary>Input of <c>revokeApiToken</c>.</summary>
public sealed class RevokeApiTokenInput
{
    /// <summary>The token id.</summary>
    public string Id { get; set; } = "";
}

/// <summary>GraphQL <c>RevokeApiTokenInput</c>.</summary>
public sealed class RevokeApiTokenInputGraphType : InputObjectGraphType<RevokeApiTokenInput>
{
    /// <summary>Declares the fields.</summary>
    public RevokeApiTokenInputGraphType()
    {
        Name = "RevokeApiTokenInput";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The token id (as apiTokens lists it).");
    }
}

/// <summary>Input of <c>createTenant</c>.</summary>
public sealed class CreateTenantInput
{
    /// <summary>The tenant key.</summary>
    public string Id { get; set; } = "";

    /// <summary>A display name.</summary>
    public string? Name { get; set; }
}

/// <summary>GraphQL <c>CreateTenantInput</c>.</summary>
public sealed class CreateTenantInputGraphType : InputObjectGraphType<CreateTenantInput>
{
    /// <summary>Declares the fields.</summary>
    public CreateTenantInputGraphType()
    {
        Name = "CreateTenantInput";
        Field(x => x.Id).Description("The new tenant's key: letters, digits and punctuation other than '/', at most 128 characters.");
        Field(x => x.Name, nullable: true).Description("A display name.");
    }
}

/// <summary>GraphQL <c>CreateApiTokenPayload</c>: the token and its secret, shown this once.</summary>
public sealed class CreateApiTokenPayloadGraphType : ObjectGraphType<CommandResult<CreatedToken>>
{
    /// <summary>Declares the fields.</summary>
    public CreateApiTokenPayloadGraphType()
    {
        Name = "CreateApiTokenPayload";
        Field<ApiTokenGraphType>("token").Resolve(c => c.Source.Value?.Token);
        Field<StringGraphType>("secret")
            .Description("The whole token to present (pdsno_<id>_<secret>). It is shown only now: PDSNO keeps only a digest of it.")
            .Resolve(c => c.Source.Value?.Secret);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Resolve(c => c.Source.Errors);
    }
}

/// <summary>GraphQL <c>ApiTokenPayload</c>.</summary>
public sealed class ApiTokenPayloadGraphType() : PayloadGraphType<ApiTokenInfo, ApiTokenGraphType>("ApiTokenPayload", "token");
