namespace Pdsno.Grains.Intents;

/// <summary>One intent's reservation on a link.</summary>
public readonly record struct Reservation(int Intent, long Bps, int Priority);

/// <summary>
/// What the tenant's intents reserve on each link, by link index: the sum (what path search reads) and who holds it
/// (what displacement, <c>Link.intents</c> and failure previews read). The reservable capacity of a link is its speed
/// times the policy's headroom. A link predicted to congest also carries its forecast load: path search counts the larger
/// of what intents reserve there and that load as used.
/// </summary>
public sealed class CapacityLedger(double headroom = CapacityLedger.DefaultHeadroom)
{
    /// <summary>The share of a link's speed intents may reserve when the policy says nothing.</summary>
    public const double DefaultHeadroom = 0.8;

    private static readonly List<Reservation> None = [];
    private long[] _reserved = new long[64];
    private List<Reservation>?[] _holders = new List<Reservation>?[64];
    private long[] _forecast = new long[64];

    /// <summary>The share of a link's speed intents may reserve.</summary>
    public double Headroom { get; } = headroom is > 0 and <= 1 ? headroom : throw new ArgumentOutOfRangeException(nameof(headroom), headroom, "headroom is in (0, 1]");

    /// <summary>The reserved bandwidth of every link by index (entries past the graph's links are zero). Read-only to callers.</summary>
    public long[] ReservedByLink => _reserved;

    /// <summary>The reservable capacity of a link of that speed.</summary>
    public long Capacity(long speedBps) => (long)(speedBps * Headroom);

    /// <summary>The bandwidth reserved on a link.</summary>
    public long Reserved(int link) => link < _reserved.Length ? _reserved[link] : 0;

    /// <summary>The load a link is forecast to carry (zero unless it is predicted to congest).</summary>
    public long Forecast(int link) => link < _forecast.Length ? _forecast[link] : 0;

    /// <summary>Sets the load a link is forecast to carry; zero clears it.</summary>
    public void SetForecast(int link, long bps)
    {
        Ensure(link);
        _forecast[link] = Math.Max(0, bps);
    }

    /// <summary>What counts as used on a link whose intents reserve <paramref name="reserved"/>: that, or its forecast load when larger.</summary>
    public long Used(int link, long reserved) => link < _forecast.Length ? Math.Max(reserved, _forecast[link]) : reserved;

    /// <summary>The reservations on a link.</summary>
    public IReadOnlyList<Reservation> Holders(int link) => link < _holders.Length ? _holders[link] ?? None : None;

    /// <summary>What intents of at least <paramref name="priority"/> reserve on a link: what a higher intent cannot displace.</summary>
    public long ReservedAtOrAbove(int link, int priority)
    {
        long sum = 0;
        foreach (var r in Holders(link))
        {
            if (r.Priority >= priority)
            {
                sum += r.Bps;
            }
        }

        return sum;
    }

    /// <summary>Records an intent on a link (with zero bandwidth too: it still runs there).</summary>
    public void Reserve(int link, int intent, long bps, int priority)
    {
        Ensure(link);
        (_holders[link] ??= []).Add(new Reservation(intent, bps, priority));
        _reserved[link] += bps;
    }

    /// <summary>Removes an intent's reservation from a link.</summary>
    public void Release(int link, int intent)
    {
        if (link >= _holders.Length || _holders[link] is not { } list)
        {
            return;
        }

        var at = list.FindIndex(r => r.Intent == intent);
        if (at >= 0)
        {
            _reserved[link] -= list[at].Bps;
            list.RemoveAt(at);
        }
    }

    /// <summary>A copy of the per-link sums sized for <paramref name="links"/> links, for what-if computations.</summary>
    public long[] CopyReserved(int links)
    {
        var copy = new long[Math.Max(links, _reserved.Length)];
        Array.Copy(_reserved, copy, _reserved.Length);
        return copy;
    }

    private void Ensure(int link)
    {
        if (link < _reserved.Length)
        {
            return;
        }

        var size = Math.Max(link + 1, _reserved.Length * 2);
        Array.Resize(ref _reserved, size);
        Array.Resize(ref _holders, size);
        Array.Resize(ref _forecast, size);
    }
}
