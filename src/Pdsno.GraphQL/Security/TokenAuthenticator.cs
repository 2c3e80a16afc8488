using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>The outcome of presenting a credential: a caller, or the reason (for logs and the audit trail) and whether to slow down.</summary>
public sealed record AuthenticationOutcome(Caller? Caller, string? Failure, TimeSpan? RetryAfter)
{
    /// <summary>No credential was presented.</summary>
    public static AuthenticationOutcome Anonymous { get; } = new(null, null, null);
}

/// <summary>
/// Turns a presented token into a caller. The token grain does the verifying (one activation per token in the
/// cluster, so revocation holds at once everywhere); this class adds the abuse limits around it: an address that
/// keeps failing is refused unread for a while, and each token has its own request rate.
/// </summary>
public sealed partial class TokenAuthenticator : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly IAuditTrail _audit;
    private readonly SecurityOptions _options;
    private readonly ILogger<TokenAuthenticator> _logger;
    private readonly PartitionedRateLimiter<string> _perToken;
    private readonly PartitionedRateLimiter<string> _failuresPerAddress;

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
    }

    /// <summary>The token an HTTP request presents: <c>Authorization: Bearer</c>, or Basic with the token as password.</summary>
    public static string? PresentedToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? pair[(colon + 1)..] : pair;
            }
            catch (FormatException)
            {
                return header;
            }
        }

        return header.Length == 0 ? null : header;
    }

    /// <summary>The token a WebSocket connection_init payload presents (<c>Authorization</c> as over HTTP, or <c>token</c>).</summary>
    public static string? PresentedToken(IReadOnlyDictionary<string, object?>? payload)
    {
        if (payload is null)
        {
            return null;
        }

        foreach (var (key, value) in payload)
        {
            if (value is string text && (key.Equals("authorization", StringComparison.OrdinalIgnoreCase) || key.Equals("token", StringComparison.OrdinalIgnoreCase)))
            {
                return text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? text["Bearer ".Length..].Trim() : text.Trim();
            }
        }

        return null;
    }

    /// <summary>Authenticates <paramref name="presented"/> (null: nothing presented) from <paramref name="address"/>.</summary>
    public async Task<AuthenticationOutcome> AuthenticateAsync(string? presented, IPAddress? address)
    {
        if (presented is null)
        {
            return AuthenticationOutcome.Anonymous;
        }

        var from = address?.ToString() ?? "unknown";
        // Not a zero-permit probe: a token bucket can grant those while it is empty (requests 100 ms apart get them),
        // so an address could keep guessing. An address with no failures left is asked for one, which fails and
        // says when to come back.
        if (_failuresPerAddress.GetStatistics(from) is { CurrentAvailablePermits: <= 0 })
        {
            using var refused = _failuresPerAddress.AttemptAcquire(from);
            if (!refused.IsAcquired)
            {
                return new AuthenticationOutcome(null, $"too many failed authentications from {from}", RetryAfterOf(refused) ?? TimeSpan.FromSeconds(10));
            }
        }

        TokenVerification verification;
        if (!ApiTokenFormat.TryParse(presented, out var id, out var secret))
        {
            verification = TokenVerification.Refused(null, "malformed token (expected pdsno_<id>_<secret>)");
        }
        else
        {
            verification = await _grains.GetGrain<IApiTokenGrain>(id).VerifyAsync(secret);
        }

        if (verification.Caller is not { } caller)
        {
            var reason = verification.Failure ?? "refused";
            using (_failuresPerAddress.AttemptAcquire(from))
            {
            }

            LogRefused(_logger, from, reason);
            _audit.Refused(verification.Tenant ?? _options.ProviderTenant, TopologyEventType.AuthenticationFailed, "address " + from, reason);
            return new AuthenticationOutcome(null, reason, null);
        }

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
    }

    private static TimeSpan? RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Authentication from {Address} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string address, string reason);
}
