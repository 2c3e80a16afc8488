using System.Net;

namespace Pdsno.Discovery.Snmp;

/// <summary>Thrown when an agent did not answer any attempt of a request in time.</summary>
public sealed class SnmpTimeoutException : SnmpException
{
    public SnmpTimeoutException()
    {
    }

    public SnmpTimeoutException(string message)
        : base(message)
    {
    }

    public SnmpTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SnmpTimeoutException(IPEndPoint target, int attempts, TimeSpan timeout)
        : base($"SNMP agent {target} did not answer {attempts} attempt(s) of {timeout.TotalMilliseconds:0} ms each")
    {
        Target = target;
        Attempts = attempts;
        Timeout = timeout;
    }

    public IPEndPoint? Target { get; }

    public int Attempts { get; }

    public TimeSpan Timeout { get; }
}
