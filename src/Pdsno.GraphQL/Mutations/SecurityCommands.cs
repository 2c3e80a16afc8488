using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Mutations;

/// <summary>Token and tenant administration through the tenant and token grains, which check the caller again.</summary>
public sealed class SecurityCommands(IGrainFactory grains)
{
    /// <summary>Creates a token of the caller's tenant.</summary>
    public async Task<CommandResult<CreatedToken>> CreateTokenAsync(Caller caller, CreateApiTokenInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        Roles roles;
        try
        {
            roles = RoleNames.Parse(input.Roles);
        }
        catch (FormatException ex)
        {
            return CommandResult.Fail<CreatedToken>(UserErrorCode.BadUserInput, ex.Message, "input", "roles");
        }

        var spec = new TokenSpec(input.Name, roles, [.. input.Regions?.Distinct(StringComparer.Ordinal) ?? []], input.ExpiresAt);
        try
        {
            return CommandResult.Ok(await grains.GetGrain<ITenantGrain>(caller.Tenant).CreateTokenAsync(spec));
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<CreatedToken>(UserErrorCode.BadUserInput, ex.Message, "input");
        }
    }

    /// <summary>Revokes a token of the caller's tenant at once.</summary>
    public async Task<CommandResult<ApiTokenInfo>> RevokeTokenAsync(Caller caller, string id)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var revoked = ApiTokenFormat.IsTokenId(id) ? await grains.GetGrain<IApiTokenGrain>(id).RevokeAsync() : null;
        return revoked is null
            ? CommandResult.Fail<ApiTokenInfo>(UserErrorCode.NotFound, $"token '{id}' not found", "input", "id")
            : CommandResult.Ok(revoked);
    }

    /// <summary>Creates a tenant and returns its first admin token.</summary>
    public async Task<CommandResult<CreatedToken>> CreateTenantAsync(Caller caller, CreateTenantInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (KeyPart.Problem(input.Id, "id") is { } problem)
        {
            return CommandResult.Fail<CreatedToken>(UserErrorCode.BadUserInput, problem, "input", "id");
        }

        try
        {
            return CommandResult.Ok(await grains.GetGrain<ITenantGrain>(input.Id).CreateAsync(input.Name ?? input.Id));
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<CreatedToken>(ex.Message.Contains("already exists", StringComparison.Ordinal) ? UserErrorCode.Conflict : UserErrorCode.BadUserInput, ex.Message, "input");
        }
    }
}
