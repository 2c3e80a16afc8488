using Pdsno.Abstractions.Discovery;

namespace Pdsno.Grains.Controllers;

/// <summary>
/// What a controller's status says about a failed cycle: our own words, never an exception's text, which may carry
/// addresses, SQL or stack details meant for the log only.
/// </summary>
public static class CycleFailure
{
    /// <summary>The words for <paramref name="failure"/> of a cycle of <paramref name="driver"/> that was given <paramref name="limit"/>.</summary>
    public static string Describe(Exception failure, string driver, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            DiscoveryException told => told.Message,
            OperationCanceledException => $"the cycle did not finish within {limit.TotalSeconds:0} s",
            _ => $"driver '{driver}' failed: see log",
        };
    }
}
