namespace Pdsno.GraphQL.Security;

/// <summary>The caller presented no credential, or one that does not authenticate; the message says which, never the secret.</summary>
public sealed class AuthenticationRequiredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuthenticationRequiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AuthenticationRequiredException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AuthenticationRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
