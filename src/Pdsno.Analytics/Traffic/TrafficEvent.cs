namespace Pdsno.Analytics.Traffic;

/// <summary>What an injected traffic event does to a series.</summary>
public enum TrafficEventKind
{
    /// <summary>Traffic jumps up for a while (a flash crowd) and comes back.</summary>
    FlashCrowd,

    /// <summary>Traffic falls to a fraction of its usual value for a while (an outage upstream).</summary>
    SuddenDrop,

    /// <summary>One sample is wildly wrong (a counter wrap or reset read as a rate); the traffic itself did not change.</summary>
    Glitch,
}

/// <summary>An event injected into generated traffic: from <see cref="Start"/> for <see cref="Duration"/>.</summary>
public sealed record TrafficEvent(TrafficEventKind Kind, DateTimeOffset Start, TimeSpan Duration, double Magnitude)
{
    /// <summary>When the event is over.</summary>
    public DateTimeOffset End => Start + Duration;

    /// <summary>True when the event covers <paramref name="at"/>.</summary>
    public bool Covers(DateTimeOffset at) => at >= Start && at < End;
}
