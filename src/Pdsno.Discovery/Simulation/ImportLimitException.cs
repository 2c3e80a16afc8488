namespace Pdsno.Discovery.Simulation;

/// <summary>Thrown when a topology file is larger than the import allows; the message says what was too many.</summary>
public sealed class ImportLimitException : Exception
{
    public ImportLimitException()
    {
    }

    public ImportLimitException(string message)
        : base(message)
    {
    }

    public ImportLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
