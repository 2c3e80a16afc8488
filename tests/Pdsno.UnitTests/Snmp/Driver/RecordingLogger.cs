using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pdsno.UnitTests.Snmp.Driver;

/// <summary>Keeps every log entry with its template values, so a test can check what an operator would read.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : [];
        Entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), values));
    }
}

/// <summary>One log entry: its level, its text and the values of its template.</summary>
internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values)
{
    public object? this[string name] => Values.GetValueOrDefault(name);
}
