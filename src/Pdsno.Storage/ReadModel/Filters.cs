namespace Pdsno.Storage.ReadModel;

/// <summary>
/// Which devices a list shows; every criterion is optional and they combine with AND. <see cref="Scope"/> is the
/// caller's regions (null: all), applied whatever the filter says. <see cref="Name"/> matches exactly,
/// <see cref="Search"/> a part of the name or address.
/// </summary>
public sealed record DeviceQuery(string? Region = null, string? Status = null, string? Vendor = null, string? Role = null, string? Search = null, IReadOnlyCollection<string>? Scope = null, string? Name = null);

/// <summary>Which links a list shows; <see cref="Device"/> matches either end; in <see cref="Scope"/> when either end is.</summary>
public sealed record LinkQuery(string? Region = null, string? Status = null, string? Device = null, IReadOnlyCollection<string>? Scope = null);

/// <summary>
/// Which events a list shows: after <see cref="Since"/>, of the given types (stored names), in a region or about a
/// device (or produced by one <see cref="Aggregate"/>, e.g. <c>change:key</c>); never of <see cref="HiddenTypes"/>, and only
/// of <see cref="Scope"/>'s regions when set; not after <see cref="Until"/> when set.
/// </summary>
public sealed record EventQuery(
    long Since = 0,
    IReadOnlyCollection<string>? Types = null,
    string? Region = null,
    string? Device = null,
    IReadOnlyCollection<string>? Scope = null,
    IReadOnlyCollection<string>? HiddenTypes = null,
    string? Aggregate = null,
    long? Until = null,
    DateTimeOffset? OccurredFrom = null,
    DateTimeOffset? OccurredTo = null)
{
    /// <summary>
    /// Whether an event read from the log (or held in memory) passes this filter, exactly as the SQL filter of
    /// <see cref="TopologyReader.ReadEventsAsync"/> would decide (type names compared as stored).
    /// </summary>
    public bool Matches(EventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Sequence <= Since || (Until is { } until && e.Sequence > until))
        {
            return false;
        }

        var type = e.Type.ToString();
        return (Types is not { Count: > 0 } || Types.Contains(type))
            && (Region is null || e.Region == Region)
            && (Device is null || e.Device == Device)
            && (Scope is null || (e.Region is not null && Scope.Contains(e.Region)))
            && (HiddenTypes is not { Count: > 0 } || !HiddenTypes.Contains(type))
            && (Aggregate is null || e.Aggregate == Aggregate)
            && (OccurredFrom is not { } from || e.OccurredAt >= from)
            && (OccurredTo is not { } to || e.OccurredAt < to);
    }
}

/// <summary>
/// One keyset page request: at most <see cref="Limit"/> rows strictly after <see cref="After"/> and before
/// <see cref="Before"/> (keys, not offsets), taken from the end when <see cref="FromEnd"/>.
/// </summary>
public sealed record KeysetPage(int Limit, string? After = null, string? Before = null, bool FromEnd = false);

/// <summary>The rows of a keyset page in list order, and whether more rows lie beyond the taken end.</summary>
public sealed record KeysetResult<T>(IReadOnlyList<T> Rows, bool HasMore);
