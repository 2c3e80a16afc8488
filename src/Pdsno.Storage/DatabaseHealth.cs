namespace Pdsno.Storage;

/// <summary>What this process last learned about PostgreSQL, for readiness.</summary>
public sealed class DatabaseHealth
{
    private long _lastFailureTicks;
    private long _lastSuccessTicks;
    private string? _lastError;

    /// <summary>True unless the latest database operation failed.</summary>
    public bool Healthy => Interlocked.Read(ref _lastSuccessTicks) >= Interlocked.Read(ref _lastFailureTicks);

    /// <summary>The message of the latest failure, if the database is not healthy.</summary>
    public string? LastError => Healthy ? null : _lastError;

    /// <summary>Records a successful operation.</summary>
    public void ReportSuccess() => Interlocked.Exchange(ref _lastSuccessTicks, Environment.TickCount64 + 1);

    /// <summary>Records a failed operation.</summary>
    public void ReportFailure(Exception ex)
    {
        _lastError = ex.Message;
        Interlocked.Exchange(ref _lastFailureTicks, Environment.TickCount64 + 1);
    }
}
