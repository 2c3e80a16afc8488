using Npgsql;
using Orleans.Runtime;

namespace Pdsno.GraphQL.Errors;

/// <summary>
/// Recognises failures that mean "the database cannot be reached right now" rather than a defect: the caller should
/// hear <c>UNAVAILABLE</c> and retry, not a generic internal error.
/// </summary>
public static class Unavailability
{
    // Orleans wraps a failed grain state read or write in an OrleansException with this text; across silos the
    // storage exception inside it may not survive serialization, the text does.
    private const string StorageFailure = "Error from storage provider";

    /// <summary>Whether <paramref name="exception"/>, or any exception inside it, is the database being out of reach.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        var pending = new Stack<Exception>();
        if (exception is not null)
        {
            pending.Push(exception);
        }

        // Bounded: an exception graph is small, and a cycle of inner exceptions must not keep this busy.
        for (var seen = 0; seen < 32 && pending.TryPop(out var current); seen++)
        {
            switch (current)
            {
                // Connection refused, reset or timed out, pool exhausted, server shutting down, too many connections:
                // Npgsql marks all of these transient. A syntax or constraint error is not, and stays INTERNAL.
                case NpgsqlException { IsTransient: true }:
                    return true;
                case OrleansException when current.Message.StartsWith(StorageFailure, StringComparison.Ordinal):
                    return true;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        pending.Push(inner);
                    }

                    continue;
            }

            if (current.InnerException is { } cause)
            {
                pending.Push(cause);
            }
        }

        return false;
    }
}
