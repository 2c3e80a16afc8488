namespace Pdsno.Webhooks.Storage;

/// <summary>Where a webhook's deliveries stand.</summary>
public enum WebhookStatus
{
    /// <summary>Delivering.</summary>
    Active,

    /// <summary>Paused by an admin; events wait in the log from its cursor.</summary>
    Paused,

    /// <summary>Stopped after the configured failed attempts at one request; <c>redeliverWebhook</c> starts it again.</summary>
    DeadLetter,
}

/// <summary>A webhook as the API shows it: never its secret.</summary>
public sealed record WebhookRecord(
    string Tenant,
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> Regions,
    int MaxEvents,
    int MaxDelayMs,
    WebhookStatus Status,
    long DeliveredSequence,
    int FailedAttempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    long Generation);

/// <summary>What a webhook is created with.</summary>
public sealed record WebhookSpec(string Url, IReadOnlyList<string> EventTypes, IReadOnlyList<string> Regions, int MaxEvents, int MaxDelayMs);

/// <summary>One delivery attempt: the sequences it carried and how the receiver answered (a status code, or an error before one).</summary>
public sealed record WebhookDelivery(
    long Id,
    string Webhook,
    long FirstSequence,
    long LastSequence,
    int EventCount,
    int Attempt,
    int? StatusCode,
    string? Error,
    bool Succeeded,
    DateTimeOffset StartedAt,
    int DurationMs);
