using System.Net;

namespace Pdsno.Discovery.Snmp;

/// <summary>Thrown when an agent answers with a non-zero error-status (noSuchName, genErr, authorizationError, ...).</summary>
public sealed class SnmpErrorException : SnmpException
{
    public SnmpErrorException()
    {
    }

    public SnmpErrorException(string message)
        : base(message)
    {
    }

    public SnmpErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SnmpErrorException(SnmpErrorStatus status, int errorIndex, IPEndPoint target, Oid? oid)
        : base(oid is { } o
            ? $"SNMP agent {target} answered {status} (error-index {errorIndex}, {o})"
            : $"SNMP agent {target} answered {status} (error-index {errorIndex})")
    {
        Status = status;
        ErrorIndex = errorIndex;
        Target = target;
        Oid = oid;
    }

    public SnmpErrorStatus Status { get; }

    /// <summary>1-based index of the offending varbind as the agent reported it, 0 when it names none.</summary>
    public int ErrorIndex { get; }

    public IPEndPoint? Target { get; }

    /// <summary>The OID at <see cref="ErrorIndex"/> in the request, when the index is in range.</summary>
    public Oid? Oid { get; }
}
