using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Security;

/// <summary>
/// One API token. Its row is the authority; the activation keeps it in memory so verifying costs no database round
/// trip, and re-reads it every few seconds so a change made to the row outside the cluster holds soon as well.
/// </summary>
[GrainType("api-token")]
public sealed partial class ApiTokenGrain(
    IApiTokenStore store,
    ITokenKeyring keyring,
    IAuditTrail audit,
    TimeProvider time,
    ILogger<ApiTokenGrain> logger) : Grain, IApiTokenGrain
{
    private static readonly TimeSpan Reload = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private StoredToken? _token;
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private DateTimeOffset? _lastUsed;
    private DateTimeOffset? _lastUsedStored;

    /// <inheritdoc />
    public async Task<TokenVerification> VerifyAsync(string secret)
    {
        var id = this.GetPrimaryKeyString();
        var now = time.GetUtcNow();
        if (!ApiTokenFormat.IsTokenId(id))
        {
            DeactivateOnIdle();
            return TokenVerification.Refused(null, "malformed token");
        }

        await LoadIfStaleAsync(now);
        if (_token is not { } token)
        {
            // Unknown ids must not pile up activations.
            DeactivateOnIdle();
            return TokenVerification.Refused(null, $"unknown token {id}");
        }

        var info = token.Info;
        var digest = await keyring.DigestAsync(id, secret ?? "");
        if (!CryptographicOperations.FixedTimeEquals(digest, token.Digest))
        {
            return TokenVerification.Refused(info.Tenant, $"wrong secret for token {id} ({info.Name})");
        }

        if (info.RevokedAt is not null)
        {
            return TokenVerification.Refused(info.Tenant, $"token {id} ({info.Name}) is revoked");
        }

        if (info.ExpiresAt is { } expires && expires <= now)
        {
            return TokenVerification.Refused(info.Tenant, $"token {id} ({info.Name}) expired");
        }

        _lastUsed = now;
        if (_lastUsedStored is not { } stored || now - stored >= LastUsedResolution)
        {
            await StoreLastUsedAsync();
        }

        return new TokenVerification(new Caller(info.Tenant, id, info.Name, info.Roles, info.Regions), info.Tenant, null);
    }

    /// <inheritdoc />
    public async Task<ApiTokenInfo?> RevokeAsync()
    {
        var caller = CallerContext.Current;
        await LoadIfStaleAsync(time.GetUtcNow());
        if (_token is not { } token || !SameTenant(caller, token.Info.Tenant))
        {
            return null;
        }

        var actor = caller?.Actor ?? "system";
        var revoked = await store.RevokeAsync(token.Info.Id, token.Info.Tenant, actor, time.GetUtcNow());
        if (revoked is null)
        {
            return null;
        }

        var wasActive = token.Info.RevokedAt is null;
        _token = token with { Info = revoked };
        _loadedAt = time.GetUtcNow();
        if (wasActive)
        {
            await audit.WriteAsync(new AuditEntry(revoked.Tenant, TopologyEventType.TokenRevoked, actor, TokenIssuer.Describe(revoked)));
            LogRevoked(logger, revoked.Id, revoked.Tenant, actor);
        }

        return revoked;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_lastUsed is { } used && used != _lastUsedStored)
        {
            try
            {
                await StoreLastUsedAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLastUsedLost(logger, ex, this.GetPrimaryKeyString());
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private static bool SameTenant(Caller? caller, string tenant) =>
        caller is not null && (caller.IsSystem || string.Equals(caller.Tenant, tenant, StringComparison.Ordinal));

    private async Task LoadIfStaleAsync(DateTimeOffset now)
    {
        if (now - _loadedAt < Reload)
        {
            return;
        }

        _token = await store.LoadAsync(this.GetPrimaryKeyString());
        _loadedAt = now;
    }

    private async Task StoreLastUsedAsync()
    {
        if (_lastUsed is not { } used)
        {
            return;
        }

        await store.TouchAsync(this.GetPrimaryKeyString(), used);
        _lastUsedStored = used;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {TokenId} of tenant {Tenant} revoked by {Actor}")]
    private static partial void LogRevoked(ILogger logger, string tokenId, string tenant, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last use of token {TokenId} could not be recorded")]
    private static partial void LogLastUsedLost(ILogger logger, Exception exception, string tokenId);
}
