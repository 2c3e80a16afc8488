using Microsoft.Extensions.Options;

namespace Pdsno.Webhooks.Hosting;

/// <summary>Settings of webhook delivery, bound from the <c>Webhooks</c> section.</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Webhooks";

    /// <summary>Failed attempts at one request after which the webhook goes DEAD_LETTER.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; each further failure doubles it, with jitter.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a receiver may take to connect and answer with its status line and headers.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest request body; a batch stops growing before it would pass this.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Requests in flight at once from one silo, across every webhook.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 32;

    /// <summary>How long a silo's claim on a webhook lasts without renewal; another silo takes over after it lapses.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a silo renews its leases and claims webhooks nobody runs.</summary>
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Webhooks a tenant may have.</summary>
    public int MaxWebhooksPerTenant { get; set; } = 100;

    /// <summary>Allows URLs that reach loopback addresses (127.0.0.0/8, ::1): for tests and single-machine setups only.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Allows URLs that reach link-local addresses (169.254.0.0/16, fe80::/10, where cloud metadata services answer).</summary>
    public bool AllowLinkLocal { get; set; }

    /// <summary>Allows URLs that reach private networks (10/8, 172.16/12, 192.168/16, fc00::/7); on by default, as integrators of an on-premises network usually live there.</summary>
    public bool AllowPrivateNetworks { get; set; } = true;
}

/// <summary>Stops the start with a message naming the key when a webhook setting is unusable.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"Webhooks:MaxAttempts must be between 1 and 100 (got {options.MaxAttempts})");
        }

        if (options.RetryBase <= TimeSpan.Zero || options.RetryMax < options.RetryBase)
        {
            failures.Add("Webhooks:RetryBase must be positive and Webhooks:RetryMax at least as long");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Webhooks:RequestTimeout must be positive and at most 5 minutes (got {options.RequestTimeout})");
        }

        if (options.MaxBodyBytes < 4096)
        {
            failures.Add($"Webhooks:MaxBodyBytes must be at least 4096 (got {options.MaxBodyBytes})");
        }

        if (options.MaxConcurrentDeliveries is < 1 or > 10_000)
        {
            failures.Add($"Webhooks:MaxConcurrentDeliveries must be between 1 and 10000 (got {options.MaxConcurrentDeliveries})");
        }

        if (options.ClaimInterval <= TimeSpan.Zero || options.LeaseDuration < options.ClaimInterval * 2)
        {
            failures.Add("Webhooks:ClaimInterval must be positive and Webhooks:LeaseDuration at least twice as long");
        }

        if (options.MaxWebhooksPerTenant < 1)
        {
            failures.Add($"Webhooks:MaxWebhooksPerTenant must be at least 1 (got {options.MaxWebhooksPerTenant})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
