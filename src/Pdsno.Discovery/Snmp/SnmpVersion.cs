namespace Pdsno.Discovery.Snmp;

/// <summary>The version field of a community-based message; v2c is encoded as 1.</summary>
public enum SnmpVersion
{
    V1 = 0,
    V2c = 1,
}
