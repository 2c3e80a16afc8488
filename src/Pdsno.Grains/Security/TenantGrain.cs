using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Security;

/// <summary>A tenant's token administration, and the creation of the tenant itself.</summary>
[GrainType("tenant")]
public sealed partial class TenantGrain(
    IApiTokenStore store,
    TokenIssuer issuer,
    IAuditTrail audit,
    IOptions<TenancyOptions> options,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain
{
    /// <inheritdoc />
    public async Task<CreatedToken> CreateTokenAsync(TokenSpec spec)
    {
        var tenant = this.GetPrimaryKeyString();
        var actor = CallerContext.Current?.Actor ?? "system";
        var created = await issuer.IssueAsync(tenant, spec, actor) ?? throw new InvalidOperationException("the token was not stored");
        LogCreated(logger, created.Token.Id, tenant, actor);
        return created;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiTokenInfo>> ListTokensAsync() => store.ListAsync(this.GetPrimaryKeyString());

    /// <inheritdoc />
    public async Task<CreatedToken> CreateAsync(string displayName)
    {
        var tenant = this.GetPrimaryKeyString();
        var provider = options.Value.ProviderTenant;
        var caller = CallerContext.Current;
        if (caller is null || !(caller.IsSystem || (caller.Tenant == provider && caller.Has(Roles.Admin) && !caller.IsRegionScoped)))
        {
            throw new UnauthorizedAccessException($"only an admin of the provider tenant '{provider}' with access to all regions creates tenants");
        }

        KeyPart.Validate(tenant, "tenant");
        if (ReservedTenants.IsReserved(tenant))
        {
            throw new ArgumentException($"tenant '{tenant}' is reserved");
        }

        var name = string.IsNullOrWhiteSpace(displayName) ? tenant : displayName.Trim();
        if (name.Length > TokenIssuer.MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"name must be at most {TokenIssuer.MaxNameLength} printable characters");
        }

        if (!await store.CreateTenantAsync(tenant, name, caller.Actor))
        {
            throw new ArgumentException($"tenant '{tenant}' already exists");
        }

        CreatedToken? first = null;
        try
        {
            first = await issuer.IssueAsync(tenant, new TokenSpec("admin", Roles.Admin, [], null), caller.Actor);
        }
        finally
        {
            if (first is null)
            {
                await store.DeleteTenantAsync(tenant);
            }
        }

        await audit.WriteAsync(new AuditEntry(caller.IsSystem ? tenant : caller.Tenant, TopologyEventType.TenantCreated, caller.Actor, $"tenant {tenant} ({name}) with first admin token {first!.Token.Id}"));
        LogTenantCreated(logger, tenant, caller.Actor);
        return first;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {TokenId} of tenant {Tenant} created by {Actor}")]
    private static partial void LogCreated(ILogger logger, string tokenId, string tenant, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant} created by {Actor}")]
    private static partial void LogTenantCreated(ILogger logger, string tenant, string actor);
}
