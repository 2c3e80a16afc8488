namespace Pdsno.Security;

/// <summary>Authentication, tenancy and abuse limits (section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Security";

    /// <summary>The tenant PDSNO's operator runs as; its unscoped admins create the other tenants.</summary>
    public string ProviderTenant { get; set; } = "default";

    /// <summary>Where the first-start admin token is written (readable by this user only); relative to the working folder.</summary>
    public string AdminTokenFile { get; set; } = ".pdsno/admin-token";

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c> is believed, as addresses or CIDR ranges (<c>10.0.0.0/8</c>,
    /// <c>fd00::/8</c>); nobody's by default.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>
    /// Whether <c>/metrics</c> needs a token of an unscoped admin of the provider tenant (on by default: the figures
    /// cover the whole cluster, every tenant).
    /// </summary>
    public bool MetricsRequireToken { get; set; } = true;

    /// <summary>What is wrong with the settings, each problem naming its key.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ProviderTenant))
        {
            problems.Add("Security:ProviderTenant must not be empty");
        }

        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!ClientAddress.TryParseProxy(TrustedProxies[i], out _))
            {
                problems.Add($"Security:TrustedProxies:{i} '{TrustedProxies[i]}' is neither an IP address nor a CIDR range (like 10.0.0.0/8)");
            }
        }

        problems.AddRange(RateLimits.Problems());
        return problems;
    }

    /// <summary>Request and connection limits.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>Abuse limits: every figure is per silo.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a client address may make per second, sustained.</summary>
    public int PerAddressPerSecond { get; set; } = 200;

    /// <summary>Requests a client address may make in a burst.</summary>
    public int PerAddressBurst { get; set; } = 400;

    /// <summary>Requests a token may make per second, sustained.</summary>
    public int PerTokenPerSecond { get; set; } = 100;

    /// <summary>Requests a token may make in a burst.</summary>
    public int PerTokenBurst { get; set; } = 200;

    /// <summary>Failed authentications a client address may have per minute before it is refused for a while.</summary>
    public int FailedAuthenticationsPerAddressPerMinute { get; set; } = 30;

    /// <summary>Open WebSocket connections per token.</summary>
    public int WebSocketsPerToken { get; set; } = 20;

    /// <summary>Running subscriptions per token, over all its connections.</summary>
    public int SubscriptionsPerToken { get; set; } = 200;

    /// <summary>Running subscriptions per tenant on one silo, over all its tokens.</summary>
    public int SubscriptionsPerTenant { get; set; } = 20_000;

    /// <summary>The largest request body any endpoint accepts, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>What is wrong with the settings, each problem naming its key.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Positive(long value, string key)
        {
            if (value <= 0)
            {
                problems.Add($"Security:RateLimits:{key} must be greater than 0 (got {value})");
            }
        }

        Positive(PerAddressPerSecond, nameof(PerAddressPerSecond));
        Positive(PerAddressBurst, nameof(PerAddressBurst));
        Positive(PerTokenPerSecond, nameof(PerTokenPerSecond));
        Positive(PerTokenBurst, nameof(PerTokenBurst));
        Positive(FailedAuthenticationsPerAddressPerMinute, nameof(FailedAuthenticationsPerAddressPerMinute));
        Positive(WebSocketsPerToken, nameof(WebSocketsPerToken));
        Positive(SubscriptionsPerToken, nameof(SubscriptionsPerToken));
        Positive(SubscriptionsPerTenant, nameof(SubscriptionsPerTenant));
        Positive(MaxRequestBodyBytes, nameof(MaxRequestBodyBytes));
        return problems;
    }
}
