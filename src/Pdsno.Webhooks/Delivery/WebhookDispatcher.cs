using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pdsno.Abstractions.Events;
using Pdsno.Storage.ReadModel;
using Pdsno.Webhooks.Hosting;
using Pdsno.Webhooks.Storage;

namespace Pdsno.Webhooks.Delivery;

/// <summary>
/// Runs the delivery loops of the webhooks this silo holds a lease on. Every claim interval it renews its leases and
/// claims active webhooks whose lease lapsed, so when a silo dies another one resumes its webhooks from their cursors
/// within a lease's duration. Each loop delivers in sequence order and moves the cursor only after a 2xx answer (at
/// least once); requests run off the request path, at most <see cref="WebhookOptions.MaxConcurrentDeliveries"/> at once.
/// </summary>
public sealed partial class WebhookDispatcher : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly Dictionary<(string Tenant, string Id), (Task Loop, CancellationTokenSource Stop)> _loops = [];
    private readonly WebhookStore _store;
    private readonly TopologyReader _reader;
    private readonly WebhookSender _sender;
    private readonly ITenantWakeups _wakeups;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly SemaphoreSlim _requests;

    /// <summary>A dispatcher with its own lease owner name.</summary>
    public WebhookDispatcher(WebhookStore store, TopologyReader reader, WebhookSender sender, ITenantWakeups wakeups, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _reader = reader;
        _sender = sender;
        _wakeups = wakeups;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _requests = new SemaphoreSlim(_options.MaxConcurrentDeliveries);
        Owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():n}";
    }

    /// <summary>The name this silo's leases carry.</summary>
    public string Owner { get; }

    /// <summary>The webhooks whose loops run here now.</summary>
    public int Running
    {
        get
        {
            lock (_loops)
            {
                return _loops.Count;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ClaimAsync(stoppingToken);
                await Task.Delay(_options.ClaimInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopLoopsAsync();
        }
    }

    /// <summary>Stops every loop without letting go of the leases, as a silo that dies would (for tests of the takeover).</summary>
    internal async Task AbandonAsync()
    {
        List<(Task Loop, CancellationTokenSource Stop)> loops;
        lock (_loops)
        {
            loops = [.. _loops.Values];
            _loops.Clear();
        }

        foreach (var (_, stop) in loops)
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(loops.Select(l => l.Loop));
    }

    /// <summary>One round of lease renewal and claiming; loops of webhooks no longer held stop.</summary>
    internal async Task ClaimAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Tenant, string Id)> owned;
        try
        {
            owned = await _store.ClaimAsync(Owner, _options.LeaseDuration, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogClaimFailed(_logger, ex.Message);
            return;
        }

        var held = owned.ToHashSet();
        lock (_loops)
        {
            foreach (var (key, (loop, stop)) in _loops.ToList())
            {
                if (loop.IsCompleted || !held.Contains(key))
                {
                    stop.Cancel();
                    _loops.Remove(key);
                }
            }

            foreach (var key in held.Where(k => !_loops.ContainsKey(k)))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                _loops[key] = (Task.Run(() => RunAsync(key.Tenant, key.Id, stop.Token), CancellationToken.None), stop);
            }
        }
    }

    private async Task StopLoopsAsync()
    {
        await AbandonAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _store.ReleaseAsync(Owner, timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogClaimFailed(_logger, ex.Message);
        }
    }

    private async Task RunAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        try
        {
            var wakeup = await _wakeups.ForTenantAsync(tenant);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await DeliverOnceAsync(tenant, id, wakeup, cancellationToken))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The next claim round starts the loop again.
            LogLoopFailed(_logger, tenant, id, ex.Message);
        }
    }

    /// <summary>One step of a webhook's loop: waits, or sends the next request; false when the webhook is no longer this silo's to run.</summary>
    private async Task<bool> DeliverOnceAsync(string tenant, string id, IWakeup wakeup, CancellationToken cancellationToken)
    {
        var seen = wakeup.Version;
        var loaded = await _store.LoadLeasedAsync(tenant, id, Owner, cancellationToken);
        if (loaded is null)
        {
            return false;
        }

        var (webhook, secret) = loaded.Value;

        var now = _time.GetUtcNow();
        if (webhook.NextAttemptAt is { } retryAt && retryAt > now)
        {
            // Reloaded at least once a second, so a redelivery or resume is noticed during a long backoff.
            await Task.Delay(Min(retryAt - now, Poll), _time, cancellationToken);
            return true;
        }

        var query = QueryOf(webhook);
        var events = await _reader.ReadEventsAsync(tenant, query, webhook.MaxEvents, cancellationToken);
        if (events.Count == 0)
        {
            await wakeup.WaitAsync(seen, Poll, cancellationToken);
            return true;
        }

        if (events.Count < webhook.MaxEvents && webhook.MaxDelayMs > 0)
        {
            events = await FillBatchAsync(tenant, webhook, query, events, wakeup, cancellationToken);
        }

        var (body, count) = WebhookBody.Build(webhook.Id, events, _options.MaxBodyBytes);
        var batch = events.Take(count).ToList();
        var attempt = webhook.FailedAttempts + 1;
        var started = _time.GetUtcNow();
        SendResult result;
        await _requests.WaitAsync(cancellationToken);
        try
        {
            result = await _sender.SendAsync(new Uri(webhook.Url), webhook.Id, secret, body, batch[0].Sequence, batch[^1].Sequence, attempt, cancellationToken);
        }
        finally
        {
            _requests.Release();
        }

        var delivery = new WebhookDelivery(0, webhook.Id, batch[0].Sequence, batch[^1].Sequence, batch.Count, attempt, result.StatusCode, result.Error, result.Succeeded, started, (int)result.Duration.TotalMilliseconds);
        DateTimeOffset? next = result.Succeeded ? null : _time.GetUtcNow() + Backoff.Delay(attempt, _options.RetryBase, _options.RetryMax, Random.Shared.NextDouble());
        await _store.RecordAsync(webhook, Owner, delivery, _options.MaxAttempts, next, CancellationToken.None);
        if (!result.Succeeded)
        {
            LogAttemptFailed(_logger, tenant, id, attempt, result.StatusCode, result.Error);
        }

        return true;
    }

    /// <summary>Waits up to the webhook's delay for its batch to fill, reading the log again on each wake-up.</summary>
    private async Task<IReadOnlyList<EventRecord>> FillBatchAsync(string tenant, WebhookRecord webhook, EventQuery query, IReadOnlyList<EventRecord> events, IWakeup wakeup, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + TimeSpan.FromMilliseconds(webhook.MaxDelayMs);
        while (events.Count < webhook.MaxEvents)
        {
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var seen = wakeup.Version;
            await wakeup.WaitAsync(seen, Min(left, Poll), cancellationToken);
            events = await _reader.ReadEventsAsync(tenant, query, webhook.MaxEvents, cancellationToken);
        }

        return events;
    }

    /// <summary>The events a webhook wants after its cursor: its types (none: all) in its regions (none: the whole tenant).</summary>
    // A webhook limited to regions is what a region's admins see and make: like their queries and subscriptions, it
    // never carries the audit events only admins of the whole tenant read.
    internal static EventQuery QueryOf(WebhookRecord webhook) =>
        new(
            Since: webhook.DeliveredSequence,
            Types: webhook.EventTypes.Count == 0 ? null : [.. webhook.EventTypes.Select(t => WebhookBody.ParseType(t)?.ToString() ?? t)],
            Scope: webhook.Regions.Count == 0 ? null : webhook.Regions,
            HiddenTypes: webhook.Regions.Count == 0 ? null : AuditEventTypes.Names);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks: leases could not be renewed or claimed: {Reason}")]
    private static partial void LogClaimFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks: the loop of webhook {Tenant}/{Webhook} stopped and restarts with the next claim: {Reason}")]
    private static partial void LogLoopFailed(ILogger logger, string tenant, string webhook, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhooks: attempt {Attempt} of webhook {Tenant}/{Webhook} failed: status {StatusCode}, {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string tenant, string webhook, int attempt, int? statusCode, string? error);
}
