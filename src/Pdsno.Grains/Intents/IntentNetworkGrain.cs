using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Intents;

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
public sealed partial class IntentNetworkGrain(IIntentTopologySource source, ILogger<IntentNetworkGrain> logger) : Grain, IIntentNetworkGrain
{
    private const int Page = 1000;
    private IntentEngine? _engine;

    private string Tenant => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var snapshot = await source.LoadAsync(Tenant, cancellationToken);
        _engine = new IntentEngine(TopologyGraph.From(snapshot));
        await CatchUpAsync(cancellationToken);
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
            if (delta.Broke || delta.Improved)
            {
                engine.React(delta);
            }
        }
        while (update.Events.Count == Page);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intent graph of tenant {Tenant}: {Devices} devices, {Links} links at sequence {Sequence} in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, string tenant, int devices, int links, long sequence, double milliseconds);
}
