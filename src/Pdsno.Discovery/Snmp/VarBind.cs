namespace Pdsno.Discovery.Snmp;

/// <summary>One variable binding: an OID and its value (Null in requests).</summary>
public readonly record struct VarBind(Oid Oid, SnmpValue Value)
{
    public override string ToString() => $"{Oid} = {Value}";
}
