using System.Diagnostics;

namespace Pdsno.Bench.Hosting;

/// <summary>
/// Counts the SQL statements this process sends, from the Npgsql activity source: all of them, and those that read
/// the event log. Counted at the client, so the figure is exact and immediate (the server's statistics are flushed late).
/// </summary>
internal sealed class NpgsqlCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private long _all;
    private long _eventReads;

    public NpgsqlCommandCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long All => Interlocked.Read(ref _all);

    public long EventReads => Interlocked.Read(ref _eventReads);

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        Interlocked.Increment(ref _all);
        var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
        if (text.Contains("FROM events", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _eventReads);
        }
    }
}
