namespace Pdsno.Discovery.Snmp;

/// <summary>Thrown when bytes are not a well-formed SNMP message; <see cref="Offset"/> points at the problem.</summary>
public sealed class SnmpDecodeException : SnmpException
{
    public SnmpDecodeException()
    {
    }

    public SnmpDecodeException(string message)
        : base(message)
    {
    }

    public SnmpDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SnmpDecodeException(string problem, int offset)
        : base($"{problem} (at byte {offset})")
    {
        Offset = offset;
    }

    /// <summary>Byte offset into the decoded buffer where the problem was found.</summary>
    public int Offset { get; }
}
