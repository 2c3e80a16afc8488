namespace Pdsno.Grains.Devices;

/// <summary>
/// Runs the work given to it one piece at a time, in the order given, within one grain activation (whose turns never run
/// in parallel, so no lock is needed): for a grain whose calls interleave at some awaits.
/// </summary>
internal sealed class TurnGate
{
    private Task _tail = Task.CompletedTask;

    /// <summary>Runs <paramref name="work"/> after every piece given before it has finished.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var previous = _tail;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tail = done.Task;
        try
        {
            await previous;
            return await work();
        }
        finally
        {
            done.SetResult();
        }
    }
}
