using System.Collections.Immutable;
using Pdsno.Abstractions.Policy;

namespace Pdsno.Abstractions.Intents;

/// <summary>
/// A link direction predicted to congest, as the closed loop hands it to the tenant's intents: the forecast's 95th
/// percentile (percent of the link's speed) becomes the link's expected load.
/// </summary>
/// <param name="Link">The link's key.</param>
/// <param name="Direction"><c>A_TO_B</c> or <c>B_TO_A</c>.</param>
/// <param name="UpperPercent">The forecast's 95th percentile at the crossing, in percent of the speed.</param>
/// <param name="ExpectedAt">When the crossing is expected.</param>
/// <param name="Mode">What the region's policy lets the loop do.</param>
[GenerateSerializer, Immutable, Alias("pdsno.congestion-signal")]
public sealed record CongestionSignal(
    [property: Id(0)] string Link,
    [property: Id(1)] string Direction,
    [property: Id(2)] double UpperPercent,
    [property: Id(3)] DateTimeOffset ExpectedAt,
    [property: Id(4)] ClosedLoopMode Mode)
{
    /// <summary>The link and direction, as analytics state names them.</summary>
    public string Key => Link + "|" + Direction;
}

/// <summary>An intent over a congesting link that did not move, and why.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-stay")]
public sealed record IntentStay(
    [property: Id(0)] string Intent,
    [property: Id(1)] string Reason);

/// <summary>What the closed loop did with the intents over a link predicted to congest.</summary>
/// <param name="Moved">The intents re-optimized onto another path (old and new), whose changes follow.</param>
/// <param name="Stayed">The intents left where they were, each with its reason.</param>
[GenerateSerializer, Immutable, Alias("pdsno.loop-outcome")]
public sealed record LoopOutcome(
    [property: Id(0)] ImmutableArray<IntentReroute> Moved,
    [property: Id(1)] ImmutableArray<IntentStay> Stayed)
{
    /// <summary>No intent runs over the link.</summary>
    public static LoopOutcome None { get; } = new([], []);

    /// <summary>Whether any intent runs over the link.</summary>
    public bool Any => Moved.Length + Stayed.Length > 0;
}
