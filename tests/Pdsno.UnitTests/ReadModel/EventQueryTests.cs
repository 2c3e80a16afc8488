using Pdsno.Abstractions.Events;
using Pdsno.Storage.ReadModel;

namespace Pdsno.UnitTests.ReadModel;

public sealed class EventQueryTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_time_window_keeps_events_from_its_start_up_to_but_not_including_its_end()
    {
        var query = new EventQuery(Types: [nameof(TopologyEventType.AnomalyDetected)], Scope: ["region-1"], OccurredFrom: At, OccurredTo: At.AddHours(1));
        EventRecord E(DateTimeOffset at, TopologyEventType type = TopologyEventType.AnomalyDetected, string region = "region-1") => new(1, type, region, "d1", "eth0", "l1", null, "{}", at);

        Assert.True(query.Matches(E(At)));
        Assert.True(query.Matches(E(At.AddMinutes(59))));
        Assert.False(query.Matches(E(At.AddHours(1))));
        Assert.False(query.Matches(E(At.AddTicks(-1))));
        Assert.False(query.Matches(E(At, TopologyEventType.CongestionPredicted)));
        Assert.False(query.Matches(E(At, region: "region-2")));
    }
}
