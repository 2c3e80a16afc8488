namespace Pdsno.Abstractions.Security;

/// <summary>
/// The caller of the current grain call chain, carried in Orleans' request context so that it crosses silos with
/// the call and the grain boundary can check it.
/// </summary>
public static class CallerContext
{
    private const string Key = "pdsno.caller";

    /// <summary>The caller set for this call chain, if any.</summary>
    public static Caller? Current => RequestContext.Get(Key) as Caller;

    /// <summary>Makes <paramref name="caller"/> the caller of grain calls made from here on in this async flow, until disposed.</summary>
    public static IDisposable Use(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var previous = Current;
        RequestContext.Set(Key, caller);
        return new Restore(previous);
    }

    /// <summary>Acts as PDSNO itself: for start-up and background work that no token asked for.</summary>
    public static IDisposable AsSystem() => Use(Caller.System);

    private sealed class Restore(Caller? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is null)
            {
                RequestContext.Remove(Key);
            }
            else
            {
                RequestContext.Set(Key, previous);
            }
        }
    }
}
