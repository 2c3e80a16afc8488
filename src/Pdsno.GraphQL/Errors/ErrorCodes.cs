namespace Pdsno.GraphQL.Errors;

/// <summary>The <c>extensions.code</c> values PDSNO adds to GraphQL.NET's own validation and parse codes.</summary>
public static class ErrorCodes
{
    /// <summary>The object asked for does not exist for the caller's tenant.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>An argument is malformed or out of range.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    /// <summary>A server limit (depth, cost, page size, execution time) was exceeded.</summary>
    public const string LimitExceeded = "LIMIT_EXCEEDED";

    /// <summary>The server failed; details are in its log, not in the response.</summary>
    public const string Internal = "INTERNAL";

    /// <summary>The database cannot be reached right now; the same request may succeed when retried.</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The caller's token does not allow the operation.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>A forecast was asked of a series with too little history; the message says how much there is and how much it needs.</summary>
    public const string InsufficientHistory = "INSUFFICIENT_HISTORY";
}
