namespace Pdsno.Discovery.Snmp;

/// <summary>Thrown when a walk must stop because the agent misbehaves: OIDs that do not increase, or a walk longer than allowed.</summary>
public sealed class SnmpWalkException : SnmpException
{
    public SnmpWalkException()
    {
    }

    public SnmpWalkException(string message)
        : base(message)
    {
    }

    public SnmpWalkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
