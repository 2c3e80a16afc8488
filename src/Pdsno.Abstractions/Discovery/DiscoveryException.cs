namespace Pdsno.Abstractions.Discovery;

/// <summary>
/// A discovery failure whose message is written for the operator (for example "SNMP timeout on 100.64.0.10"): it may be
/// shown in a controller's status. Any other exception of a driver is shown only as "see log".
/// </summary>
public sealed class DiscoveryException : Exception
{
    public DiscoveryException()
    {
    }

    public DiscoveryException(string message)
        : base(message)
    {
    }

    public DiscoveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
