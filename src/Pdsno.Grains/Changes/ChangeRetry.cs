using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;

namespace Pdsno.Grains.Changes;

/// <summary>
/// For grains that propose a change to run at once and propose again while another change holds a device: what a
/// refused proposal means, with the change it left approved but not run cancelled, so the next attempt starts afresh.
/// </summary>
public static class ChangeRetry
{
    /// <summary>
    /// Cancels the change a refused execution left approved, and answers the refusal and whether only a device lock
    /// (or a change in the way) refused it, which another attempt may get past.
    /// </summary>
    public static async Task<(string Refusal, bool Locked)> RefusedAsync(IGrainFactory grains, string tenant, ChangeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Change is { } stuck)
        {
            await grains.GetGrain<IChangeGrain>(new ChangeId(tenant, stuck.Id).ToString()).CancelAsync("a device was locked; proposed again");
        }

        var refusal = outcome.Refusals.IsDefaultOrEmpty ? "the change was refused" : outcome.Refusals[0].Message;
        var locked = outcome.Refusals.IsDefaultOrEmpty || outcome.Refusals.All(r => r.Code is ChangeRefusalCode.Conflict or ChangeRefusalCode.DeviceLocked);
        return (refusal, locked);
    }

    /// <summary>A pause before attempt <paramref name="attempt"/> + 1, jittered and growing, so two proposers do not meet again in step.</summary>
    public static Task PauseAsync(int attempt, int minMs, int maxMs) => Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(minMs, maxMs) * attempt));
}
