namespace Pdsno.GraphQL.Transport.WebSockets;

/// <summary>One running operation of a connection: its cancellation and, for a subscription, its event-stream subscription.</summary>
internal sealed class GraphQLWsOperation
{
    private readonly CancellationTokenSource _cancellation;
    private readonly Lock _lock = new();
    private IDisposable? _subscription;
    private bool _finished;

    public GraphQLWsOperation(string id, CancellationToken connectionToken)
    {
        Id = id;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(connectionToken);
        Token = _cancellation.Token;
    }

    public string Id { get; }

    public CancellationToken Token { get; }

    /// <summary>The client sent complete: nothing more may be sent for this id.</summary>
    public bool StoppedByClient { get; private set; }

    public bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _finished;
            }
        }
    }

    /// <summary>Keeps the event-stream subscription, or disposes it at once if the operation already ended.</summary>
    public void Attach(IDisposable subscription)
    {
        lock (_lock)
        {
            if (!_finished)
            {
                _subscription = subscription;
                return;
            }
        }

        subscription.Dispose();
    }

    /// <summary>Ends the operation; true for the one caller that ended it (and so sends its final message).</summary>
    public bool TryFinish(bool byClient = false)
    {
        IDisposable? subscription;
        lock (_lock)
        {
            if (_finished)
            {
                return false;
            }

            _finished = true;
            StoppedByClient = byClient;
            subscription = _subscription;
            _subscription = null;
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (AggregateException)
        {
            // A cancellation callback of the executer failed; the operation is over either way.
        }

        subscription?.Dispose();
        _cancellation.Dispose();
        return true;
    }
}
