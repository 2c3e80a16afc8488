namespace Pdsno.Discovery.Snmp;

/// <summary>The context-specific constructed tags of the SNMPv2 PDUs (RFC 3416).</summary>
public enum SnmpPduType
{
    GetRequest = 0xA0,
    GetNextRequest = 0xA1,
    Response = 0xA2,
    SetRequest = 0xA3,
    GetBulkRequest = 0xA5,
    InformRequest = 0xA6,
    SnmpV2Trap = 0xA7,
    Report = 0xA8,
}
