using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Grains.Intents;

/// <summary>
/// Holds one tenant's topology graph, capacity ledger and intents in memory (<see cref="IntentEngine"/>).
/// </summary>
/// <remarks>
/// One grain per tenant rather than a per-silo service such as the GraphQL event tail: the ledger must have a single
/// writer, or two silos would each reserve the last free capacity of a link; displacement and failure previews read every
/// intent of the tenant at once; and compiling is in memory (microseconds to a millisecond on 10,000 devices), so one
/// activation keeps up. The graph is built from a snapshot of the read model and the event log after its sequence, and
/// caught up from the log before each call, so a restarted activation rebuilds exactly the same graph and a preview sees
/// every event committed before it was asked.
/// </remarks>
[GrainType("intent-network")]
public sealed partial class IntentNetworkGrain(IIntentTopologySource source, ILogger<IntentNetworkGrain> logger) : Grain, IIntentNetworkGrain, IRemindable
{
    private const int Page = 1000;
    private const string Follow = "follow";

    // While the tenant has intents, the topology stream announces each event and the graph reads the log from its
    // sequence when one changes it; the log is also read this often, for an announcement that was lost (announcing is
    // best effort: late, never wrong).
    private static readonly TimeSpan FollowPeriod = TimeSpan.FromSeconds(5);
    private IntentEngine? _engine;
    private bool _following;

    // The forecast load of each link direction predicted to congest, by link|direction; a link counts its larger one.
    private readonly Dictionary<string, (string Link, long Bps)> _forecasts = new(StringComparer.Ordinal);

    private string Tenant => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var snapshot = await source.LoadAsync(Tenant, cancellationToken);
        _engine = new IntentEngine(TopologyGraph.From(snapshot));
        await CatchUpAsync(cancellationToken);
        await LoadForecastsAsync();
        await RestoreAsync(cancellationToken);
        if (_engine.Intents.Any())
        {
            await StartFollowingAsync();
        }

        LogLoaded(logger, Tenant, _engine.Graph.DeviceCount, _engine.Graph.LinkCount, _engine.Graph.Sequence, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    public async Task<IntentPreview> PreviewIntentAsync(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var engine = await ReadyAsync();
        return engine.Preview(spec);
    }

    /// <inheritdoc />
    public async Task<FailurePreview> PreviewFailureAsync(ImmutableArray<string> links, ImmutableArray<string> devices)
    {
        var engine = await ReadyAsync();
        return engine.PreviewFailure(links.IsDefault ? [] : links, devices.IsDefault ? [] : devices);
    }

    /// <inheritdoc />
    public async Task<IntentPlacement> SubmitAsync(IntentSpec spec, ImmutableArray<string> regions)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // While following, the graph is at most one follow period behind the log: a burst of submissions is not one log
        // read each. Before that (the first intent), it catches up as a preview does.
        var engine = _following ? _engine! : await ReadyAsync();
        if (!regions.IsDefaultOrEmpty && OutsideRegions(engine, spec, regions) is { Length: > 0 } hidden)
        {
            return new IntentPlacement(spec.Id, hidden, false, false, null, null, []);
        }

        var (errors, changed) = engine.Submit(spec);
        if (errors.Length > 0)
        {
            return new IntentPlacement(spec.Id, errors, false, false, null, null, []);
        }

        Tell(changed.Skip(1));
        if (!_following)
        {
            // The reminder brings the grain back after a restart, so installed intents keep following the topology.
            await this.RegisterOrUpdateReminder(Follow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            await StartFollowingAsync();
        }

        return engine.PlacementOf(changed[0]);
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<IntentRoutes>> WantedByOthersAsync(ImmutableArray<string> intents, ImmutableArray<IntentRoutes> routes)
    {
        if (routes.IsDefaultOrEmpty)
        {
            return [];
        }

        var engine = _following ? _engine! : await ReadyAsync();
        return engine.WantedByOthers((intents.IsDefault ? [] : intents).ToHashSet(StringComparer.Ordinal), routes);
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task StartFollowingAsync()
    {
        _following = true;
        this.RegisterGrainTimer(
            _ => CatchUpAsync(CancellationToken.None),
            new GrainTimerCreationOptions(FollowPeriod, FollowPeriod) { Interleave = false, KeepAlive = true });
        try
        {
            // A subscription outlives the activation: a new one resumes it rather than adding another.
            var stream = this.GetStreamProvider(PdsnoStreams.Provider).GetStream<TopologyEvent>(StreamId.Create(PdsnoStreams.Topology, Tenant));
            var handles = await stream.GetAllSubscriptionHandles();
            if (handles.Count == 0)
            {
                await stream.SubscribeAsync(AnnouncedAsync);
            }

            foreach (var handle in handles)
            {
                await handle.ResumeAsync(AnnouncedAsync);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotSubscribed(logger, ex, Tenant);
        }
    }

    // Events that only move the sequence (changes, intents, audit) wait for the next one that changes the graph.
    private Task AnnouncedAsync(TopologyEvent e, StreamSequenceToken? token) =>
        _engine is { } engine && (TopologyGraph.Changes(e.Type) || (engine.HasCompliance && Remediates(e.Type))) && e.Sequence > engine.Graph.Sequence
            ? CatchUpAsync(CancellationToken.None)
            : Task.CompletedTask;

    /// <inheritdoc />
    public async Task WithdrawAsync(string intent)
    {
        var engine = await ReadyAsync();
        if (engine.Withdraw(intent) is { } changed)
        {
            Tell(changed.Skip(1));
        }
    }

    /// <inheritdoc />
    public async Task<LoopOutcome> CongestionAsync(CongestionSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var engine = await ReadyAsync();
        var l = engine.Graph.LinkIndex(signal.Link);
        if (l < 0)
        {
            return LoopOutcome.None;
        }

        if (signal.Mode == ClosedLoopMode.Off)
        {
            var (_, _, off) = engine.Reoptimize(signal.Link, 0, move: false, "the closed loop is off in the link's region");
            return new LoopOutcome([], off);
        }

        _forecasts[signal.Key] = (signal.Link, ForecastBps(engine, l, signal.UpperPercent));
        var (changed, moved, stayed) = engine.Reoptimize(signal.Link, LinkForecast(signal.Link), move: true);
        var cause = string.Create(CultureInfo.InvariantCulture, $"closed loop: link {signal.Link} ({signal.Direction}) is predicted to reach {signal.UpperPercent:0.#}% at {signal.ExpectedAt:yyyy-MM-ddTHH:mm:ssZ}");
        Tell(changed, cause, review: signal.Mode == ClosedLoopMode.Propose);
        return new LoopOutcome(moved, stayed);
    }

    /// <inheritdoc />
    public async Task CongestionClearedAsync(string link, string direction)
    {
        ArgumentNullException.ThrowIfNull(link);
        var engine = await ReadyAsync();
        if (!_forecasts.Remove(link + "|" + direction))
        {
            return;
        }

        Tell(engine.ClearForecast(link, LinkForecast(link)));
    }

    // The predictions the loop acted on before this activation count again, so restored intents do not go back onto
    // a link still predicted to congest. Analytics being unreachable only costs that: intents are restored as before.
    private async Task LoadForecastsAsync()
    {
        try
        {
            var engine = _engine!;
            foreach (var signal in await GrainFactory.GetGrain<IAnalyticsGrain>(Tenant).LoopedAsync())
            {
                var l = engine.Graph.LinkIndex(signal.Link);
                if (signal.Mode != ClosedLoopMode.Off && l >= 0)
                {
                    _forecasts[signal.Key] = (signal.Link, ForecastBps(engine, l, signal.UpperPercent));
                    engine.Ledger.SetForecast(l, LinkForecast(signal.Link));
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNoForecasts(logger, ex, Tenant);
        }
    }

    private static long ForecastBps(IntentEngine engine, int link, double percent) => (long)(engine.Graph.Link(link).SpeedBps * Math.Clamp(percent, 0, 1000) / 100);

    private long LinkForecast(string link) => _forecasts.Values.Where(f => f.Link == link).Select(f => f.Bps).DefaultIfEmpty(0).Max();

    /// <inheritdoc />
    public async Task<ImmutableArray<LinkReservation>> ReservationsAsync(ImmutableArray<string> links)
    {
        var engine = await ReadyAsync();
        return engine.Reservations(links.IsDefault ? [] : links);
    }

    // An endpoint in a region the caller cannot see reads as an unknown device, as everywhere else.
    private static ImmutableArray<IntentInputError> OutsideRegions(IntentEngine engine, IntentSpec spec, ImmutableArray<string> regions)
    {
        if (spec.Connectivity is not { } c)
        {
            return [new IntentInputError("kind", "a token limited to regions may only create connectivity intents")];
        }

        return [.. new[] { (c.A, "connectivity.a.device"), (c.B, "connectivity.b.device") }
            .Where(e => engine.Graph.DeviceIndex(e.Item1.Device) is var d && d >= 0 && !regions.Contains(engine.Graph.Region(engine.Graph.Device(d).Region)))
            .Select(e => new IntentInputError(e.Item2, $"unknown device '{e.Item1.Device}'"))];
    }

    // The stored intents are placed again, highest priority first and then in the order they were made, so the ledger is
    // what it was; an intent whose path differs from the one it installed is told, and reinstalls.
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var stored = await source.LoadIntentsAsync(Tenant, cancellationToken);
        var engine = _engine!;
        var moved = new List<IntentEntry>();
        foreach (var intent in stored.OrderByDescending(i => i.Spec.Connectivity?.Priority ?? 0).ThenBy(i => i.CreatedAt))
        {
            var (errors, changed) = engine.Submit(intent.Spec);
            if (errors.Length > 0 || changed.Count == 0)
            {
                continue;
            }

            var entry = changed[0];
            var path = entry.Placement == Placement.Placed ? engine.Compiled(entry.Id)?.Path : null;
            var held = intent.Status is IntentStatus.Installed or IntentStatus.PendingApproval or IntentStatus.Installing;
            if (!SamePath(path, intent.Path) || (entry.Placement == Placement.Placed) != held)
            {
                moved.Add(entry);
            }
        }

        Tell(moved);
    }

    private static bool SamePath(IntentPath? a, IntentPath? b) =>
        a is null ? b is null : b is not null && a.Links.SequenceEqual(b.Links, StringComparer.Ordinal);

    // Intent grains are told one way: they call this grain when they act, and would wait on each other otherwise.
    private void Tell(IEnumerable<IntentEntry> changed, string? cause = null, bool review = false)
    {
        var engine = _engine!;
        foreach (var entry in changed.DistinctBy(e => e.Id))
        {
            _ = GrainFactory.GetGrain<IIntentGrain>(new IntentId(Tenant, entry.Id).ToString()).ReplacedAsync(engine.PlacementOf(entry) with { Cause = cause, Review = review });
        }
    }

    private async Task<IntentEngine> ReadyAsync()
    {
        await CatchUpAsync(CancellationToken.None);
        return _engine!;
    }

    // Applies the log after the graph's sequence, page by page, and lets the engine react to what broke or came up.
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var engine = _engine!;
        TopologyUpdate update;
        do
        {
            update = await source.ReadSinceAsync(Tenant, engine.Graph.Sequence, Page, cancellationToken);
            var delta = engine.Graph.Apply(update);
            NoteCompliance(engine, update.Events);
            if (delta.Broke || delta.Improved)
            {
                Tell(engine.React(delta));
            }
        }
        while (update.Events.Count == Page);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intent graph of tenant {Tenant} could not subscribe to the topology stream; it reads the log every few seconds instead")]
    private static partial void LogNotSubscribed(ILogger logger, Exception ex, string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intent graph of tenant {Tenant} could not read the congestions the closed loop acted on; its intents are placed without their forecast loads")]
    private static partial void LogNoForecasts(ILogger logger, Exception ex, string tenant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Intent graph of tenant {Tenant}: {Devices} devices, {Links} links at sequence {Sequence} in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, string tenant, int devices, int links, long sequence, double milliseconds);
}
