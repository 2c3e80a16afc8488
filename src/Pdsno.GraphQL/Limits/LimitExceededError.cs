using GraphQL.Validation;
using Pdsno.GraphQL.Errors;

namespace Pdsno.GraphQL.Limits;

/// <summary>A validation error for a document over the depth or cost limit, coded <c>LIMIT_EXCEEDED</c>.</summary>
public sealed class LimitExceededError : ValidationError
{
    /// <summary>Creates the error with a message that names the limit and by how much it was exceeded.</summary>
    public LimitExceededError(string message)
        : base(message)
    {
        Code = ErrorCodes.LimitExceeded;
    }
}
