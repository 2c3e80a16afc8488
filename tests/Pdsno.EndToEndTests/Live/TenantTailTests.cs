using Pdsno.Abstractions.Events;
using Pdsno.GraphQL.Live;
using Pdsno.Storage.ReadModel;

namespace Pdsno.EndToEndTests.Live;

public sealed class TenantTailTests
{
    private static EventRecord Event(long seq, string region = "r1", TopologyEventType type = TopologyEventType.LinkDown, string? device = null) =>
        new(seq, type, region, device, null, null, null, null, DateTimeOffset.UnixEpoch.AddSeconds(seq));

    [Fact]
    public void A_cursor_at_the_head_takes_what_is_appended_after_it_and_moves_to_the_new_head()
    {
        var tail = new TenantTail(16, head: 10);
        tail.Append([Event(11), Event(12), Event(13)]);
        var cursor = 10L;
        var taken = new List<EventRecord>();

        Assert.True(tail.TryTake(ref cursor, new EventQuery(), taken, out var head));

        Assert.Equal([11L, 12L, 13L], taken.Select(e => e.Sequence));
        Assert.Equal(13, cursor);
        Assert.Equal(13, head);
    }

    [Fact]
    public void A_filter_skips_events_but_the_cursor_still_moves_past_them()
    {
        var tail = new TenantTail(16, head: 0);
        tail.Append([Event(1, "r1"), Event(2, "r2"), Event(3, "r1", TopologyEventType.TokenCreated), Event(4, "r1")]);
        var cursor = 0L;
        var taken = new List<EventRecord>();
        var filter = new EventQuery(Region: "r1", HiddenTypes: [nameof(TopologyEventType.TokenCreated)]);

        Assert.True(tail.TryTake(ref cursor, filter, taken, out _));

        Assert.Equal([1L, 4L], taken.Select(e => e.Sequence));
        Assert.Equal(4, cursor);
    }

    [Fact]
    public void A_cursor_older_than_what_the_ring_holds_must_read_the_log_first()
    {
        var tail = new TenantTail(4, head: 0);
        tail.Append([.. Enumerable.Range(1, 10).Select(i => Event(i))]);
        var taken = new List<EventRecord>();

        // The ring holds 7..10: everything after 6 is covered, nothing before.
        Assert.Equal(6, tail.CoveredFrom);
        var old = 5L;
        Assert.False(tail.TryTake(ref old, new EventQuery(), taken, out var head));
        Assert.Empty(taken);
        Assert.Equal(5, old);
        Assert.Equal(10, head);

        var covered = 6L;
        Assert.True(tail.TryTake(ref covered, new EventQuery(), taken, out _));
        Assert.Equal([7L, 8L, 9L, 10L], taken.Select(e => e.Sequence));
    }

    [Fact]
    public void Events_at_or_below_the_head_are_not_appended_twice()
    {
        var tail = new TenantTail(8, head: 0);
        tail.Append([Event(1), Event(2)]);
        tail.Append([Event(2), Event(3)]);
        var cursor = 0L;
        var taken = new List<EventRecord>();

        tail.TryTake(ref cursor, new EventQuery(), taken, out _);

        Assert.Equal([1L, 2L, 3L], taken.Select(e => e.Sequence));
    }

    [Fact]
    public async Task An_append_pulses_waiters()
    {
        var tail = new TenantTail(8, head: 0);
        var seen = tail.Changed.Version;
        var wait = tail.Changed.WaitAsync(seen, Timeout.InfiniteTimeSpan, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        tail.Append([Event(1)]);

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(null, null, null, true)]
    [InlineData("r1", null, null, true)]
    [InlineData("r2", null, null, false)]
    [InlineData(null, "d1", null, true)]
    [InlineData(null, "d2", null, false)]
    [InlineData(null, null, "r1", true)]
    [InlineData(null, null, "r3", false)]
    public void The_memory_filter_decides_like_the_log_query(string? region, string? device, string? scope, bool expected)
    {
        var query = new EventQuery(Region: region, Device: device, Scope: scope is null ? null : [scope]);

        Assert.Equal(expected, query.Matches(Event(5, "r1", device: "d1")));
    }

    [Fact]
    public void The_memory_filter_honours_types_since_and_until_and_a_scope_never_passes_an_event_without_region()
    {
        var e = Event(5, "r1", TopologyEventType.LinkDown);

        Assert.True(new EventQuery(Types: [nameof(TopologyEventType.LinkDown)]).Matches(e));
        Assert.False(new EventQuery(Types: [nameof(TopologyEventType.LinkUp)]).Matches(e));
        Assert.False(new EventQuery(Since: 5).Matches(e));
        Assert.False(new EventQuery(Until: 4).Matches(e));
        Assert.True(new EventQuery(Since: 4, Until: 5).Matches(e));
        Assert.False(new EventQuery(Scope: ["r1"]).Matches(e with { Region = null }));
        Assert.True(new EventQuery(Aggregate: "change:c1").Matches(e with { Aggregate = "change:c1" }));
        Assert.False(new EventQuery(Aggregate: "change:c1").Matches(e with { Aggregate = "change:c2" }));
    }
}
