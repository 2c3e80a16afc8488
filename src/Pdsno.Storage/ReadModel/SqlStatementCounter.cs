namespace Pdsno.Storage.ReadModel;

/// <summary>Counts the SQL statements the read side sends, so tests and benchmarks can hold a request to its statement budget.</summary>
public sealed class SqlStatementCounter
{
    private long _count;

    /// <summary>Statements sent since start.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Records one statement.</summary>
    public void Increment() => Interlocked.Increment(ref _count);
}
