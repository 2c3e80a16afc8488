using GraphQL;

namespace Pdsno.GraphQL.Errors;

/// <summary>A GraphQL error with a PDSNO <c>extensions.code</c>; throw it from a resolver to fail that field.</summary>
public sealed class PdsnoError : ExecutionError
{
    /// <summary>Creates an error with <paramref name="code"/> and a message safe to show the caller.</summary>
    public PdsnoError(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The object does not exist for the caller's tenant.</summary>
    public static PdsnoError NotFound(string message) => new(ErrorCodes.NotFound, message);

    /// <summary>An argument is malformed or out of range.</summary>
    public static PdsnoError BadUserInput(string message) => new(ErrorCodes.BadUserInput, message);

    /// <summary>A server limit was exceeded.</summary>
    public static PdsnoError LimitExceeded(string message) => new(ErrorCodes.LimitExceeded, message);

    /// <summary>The caller's token does not allow the operation.</summary>
    public static PdsnoError Forbidden(string message) => new(ErrorCodes.Forbidden, message);

    /// <summary>The error that replaces a failure to reach the database: nothing is wrong with the request, retry it.</summary>
    public static PdsnoError Unavailable() => new(ErrorCodes.Unavailable, "The database is unavailable; retry the request shortly.");

    /// <summary>The generic error that replaces an unhandled exception.</summary>
    public static PdsnoError Internal() => new(ErrorCodes.Internal, "Internal server error; the server log has the details.");
}
