namespace Pdsno.GraphQL.Live;

/// <summary>
/// An observable driven by an async loop: subscribing starts the loop, disposing the subscription cancels
/// it. The loop's end completes the observer; its failure is reported through OnError.
/// </summary>
internal sealed class AsyncObservable<T>(Func<IObserver<T>, CancellationToken, Task> run) : IObservable<T>
{
    public IDisposable Subscribe(IObserver<T> observer)
    {
        var cts = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try
            {
                await run(observer, cts.Token);
                observer.OnCompleted();
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                // The subscriber left; nobody is listening for completion.
            }
            catch (Exception ex)
            {
                observer.OnError(ex);
            }
        });
        return new Cancel(cts);
    }

    private sealed class Cancel(CancellationTokenSource cts) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
