using System.Collections.Immutable;
using Pdsno.Abstractions.Analytics;

namespace Pdsno.Abstractions.Grains;

/// <summary>A tenant's analytics events: remembers which links are predicted to congest and which are anomalous, so each raises one event. Key: <c>tenant</c>.</summary>
[Alias("pdsno.IAnalyticsGrain")]
public interface IAnalyticsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes one round's verdicts and writes the events they call for: CONGESTION_PREDICTED for a direction newly
    /// predicted, CONGESTION_CLEARED for one no longer predicted, ANOMALY_DETECTED for a direction that departed
    /// after being calm. Returns the events written. Called by the analysis in the silo.
    /// </summary>
    [Alias("Record")]
    Task<int> RecordAsync(ImmutableArray<SeriesVerdict> verdicts);
}
