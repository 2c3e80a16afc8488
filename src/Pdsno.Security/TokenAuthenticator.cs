using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;

namespace Pdsno.Security;

/// <summary>The outcome of presenting a credential: a caller, or the reason (for logs and the audit trail) and whether to slow down.</summary>
public sealed record AuthenticationOutcome(Caller? Caller, string? Failure, TimeSpan? RetryAfter)
{
    /// <summary>No credential was presented.</summary>
    public static AuthenticationOutcome Anonymous { get; } = new(null, null, null);
}

/// <summary>
/// Turns a presented token into a caller: the one service every entry point (HTTP requests, the GraphQL WebSocket
/// connection_init) authenticates through. The token grain does the verifying (one activation per token in the
/// cluster, so revocation holds at once everywhere); this class adds the abuse limits around it: each token has its
/// own request rate, and a client address that keeps failing is locked out. The lock-out refuses only attempts that
/// cannot succeed, so one broken client behind a shared proxy does not lock out everyone else behind it.
/// </summary>
public sealed partial class TokenAuthenticator : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly IAuditTrail _audit;
    private readonly SecurityOptions _options;
    private readonly ILogger<TokenAuthenticator> _logger;
    private readonly PartitionedRateLimiter<string> _perToken;
    private readonly PartitionedRateLimiter<string> _failuresPerAddress;
    private readonly PartitionedRateLimiter<string> _newTokensWhileLockedOut;
    private readonly RecentTokens _recent = new();

    /// <summary>Creates the authenticator with limits from <see cref="SecurityOptions"/>.</summary>
    public TokenAuthenticator(IGrainFactory grains, IAuditTrail audit, IOptions<SecurityOptions> options, ILogger<TokenAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _audit = audit;
        _options = options.Value;
        _logger = logger;
        var limits = _options.RateLimits;
        _perToken = PartitionedRateLimiter.Create<string, string>(token => RateLimitPartition.GetTokenBucketLimiter(token, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.PerTokenBurst,
            TokensPerPeriod = limits.PerTokenPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _failuresPerAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.FailedAuthenticationsPerAddressPerMinute,
            TokensPerPeriod = Math.Max(1, limits.FailedAuthenticationsPerAddressPerMinute / 6),
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

        // While an address is locked out, a token this silo has not seen yet may still be the valid token of someone
        // else behind the same proxy; verifying one costs a token-grain activation and a database read, so only a
        // tenth of the failure allowance a minute is spent on them.
        var newTokens = Math.Max(1, limits.FailedAuthenticationsPerAddressPerMinute / 10);
        _newTokensWhileLockedOut = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = newTokens,
            TokensPerPeriod = newTokens,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>
    /// Authenticates <paramref name="presented"/> (null: nothing presented) from <paramref name="address"/>. An
    /// address (an IPv6 client: its /64) with too many failures is locked out for a while; during the lock-out a
    /// malformed token or one that failed recently is refused unread, one that verified recently is verified as
    /// always, and a token not seen recently is verified within a small allowance per minute.
    /// </summary>
    public async Task<AuthenticationOutcome> AuthenticateAsync(string? presented, IPAddress? address)
    {
        if (presented is null)
        {
            return AuthenticationOutcome.Anonymous;
        }

        var from = ClientAddress.PartitionOf(address);
        var wellFormed = ApiTokenFormat.TryParse(presented, out var id, out var secret);
        var fingerprint = wellFormed ? RecentTokens.Fingerprint(presented) : null;
        if (LockedOut(from) is { } lockout)
        {
            using (lockout)
            {
                if (!MayVerifyWhileLockedOut(fingerprint, from))
                {
                    return new AuthenticationOutcome(null, $"too many failed authentications from {from}", RetryAfterOf(lockout) ?? TimeSpan.FromSeconds(10));
                }
            }
        }

        var verification = wellFormed
            ? await _grains.GetGrain<IApiTokenGrain>(id!).VerifyAsync(secret!)
            : TokenVerification.Refused(null, "malformed token (expected pdsno_<id>_<secret>)");
        if (verification.Caller is not { } caller)
        {
            var reason = verification.Failure ?? "refused";
            if (fingerprint is not null)
            {
                _recent.Remember(fingerprint, verified: false);
            }

            using (_failuresPerAddress.AttemptAcquire(from))
            {
            }

            LogRefused(_logger, from, reason);
            _audit.Refused(verification.Tenant ?? _options.ProviderTenant, TopologyEventType.AuthenticationFailed, "address " + from, reason);
            return new AuthenticationOutcome(null, reason, null);
        }

        _recent.Remember(fingerprint!, verified: true);
        using var lease = _perToken.AttemptAcquire(caller.TokenId);
        if (!lease.IsAcquired)
        {
            return new AuthenticationOutcome(null, $"token {caller.TokenId} is over its request rate", RetryAfterOf(lease) ?? TimeSpan.FromSeconds(1));
        }

        return new AuthenticationOutcome(caller, null, null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _perToken.Dispose();
        _failuresPerAddress.Dispose();
        _newTokensWhileLockedOut.Dispose();
    }

    /// <summary>The refused lease that says when to come back, when <paramref name="from"/> has no failures left; else null.</summary>
    private RateLimitLease? LockedOut(string from)
    {
        // Not a zero-permit probe: a token bucket can grant those while it is empty (requests 100 ms apart get them),
        // so an address could keep guessing. An address with no failures left is asked for one, which fails and
        // says when to come back.
        if (_failuresPerAddress.GetStatistics(from) is not { CurrentAvailablePermits: <= 0 })
        {
            return null;
        }

        var lease = _failuresPerAddress.AttemptAcquire(from);
        if (lease.IsAcquired)
        {
            lease.Dispose();
            return null;
        }

        return lease;
    }

    private bool MayVerifyWhileLockedOut(string? fingerprint, string from)
    {
        if (fingerprint is null)
        {
            return false;
        }

        switch (_recent.Lookup(fingerprint))
        {
            case true:
                return true;
            case false:
                return false;
            default:
                using (var lease = _newTokensWhileLockedOut.AttemptAcquire(from))
                {
                    return lease.IsAcquired;
                }
        }
    }

    private static TimeSpan? RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Authentication from {Address} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string address, string reason);
}
