using System.Collections.Immutable;
using Orleans.Concurrency;
using Pdsno.Abstractions.Analytics;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Abstractions.Grains;

/// <summary>A tenant's analytics events: remembers which links are predicted to congest and which are anomalous, so each raises one event. Key: <c>tenant</c>.</summary>
[Alias("pdsno.IAnalyticsGrain")]
public interface IAnalyticsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes one round's verdicts and writes the events they call for: CONGESTION_PREDICTED for a direction newly
    /// predicted, CONGESTION_CLEARED for one no longer predicted, ANOMALY_DETECTED for a direction that departed
    /// after being calm; then hands each newly predicted direction to the closed loop under <paramref name="policy"/>
    /// (INTENTS_REOPTIMIZED when intents run over the link). Returns the events written. Called by the analysis in the silo.
    /// </summary>
    [Alias("Record")]
    Task<int> RecordAsync(ImmutableArray<SeriesVerdict> verdicts, AnalyticsPolicy policy);

    /// <summary>
    /// The predicted congestions the closed loop has acted on and not yet seen cleared, so the tenant's intent graph
    /// counts their load again after a restart. Interleaves: the graph asks while it activates, possibly for a call
    /// from this grain.
    /// </summary>
    [Alias("Looped"), AlwaysInterleave]
    Task<ImmutableArray<CongestionSignal>> LoopedAsync();
}
