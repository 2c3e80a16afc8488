namespace Pdsno.Discovery.Snmp;

/// <summary>Base of every error the SNMP codec and client raise, so callers can catch one type per device.</summary>
public class SnmpException : Exception
{
    public SnmpException()
    {
    }

    public SnmpException(string message)
        : base(message)
    {
    }

    public SnmpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
