namespace Pdsno.Discovery.Snmp;

/// <summary>An SNMPv2 PDU: request id, error-status and error-index (non-repeaters and max-repetitions for GetBulk), varbinds.</summary>
public sealed class SnmpPdu
{
    public SnmpPdu(SnmpPduType type, int requestId, IReadOnlyList<VarBind> varBinds, SnmpErrorStatus errorStatus = SnmpErrorStatus.NoError, int errorIndex = 0)
        : this(type, requestId, (int)errorStatus, errorIndex, varBinds)
    {
    }

    private SnmpPdu(SnmpPduType type, int requestId, int second, int third, IReadOnlyList<VarBind> varBinds)
    {
        ArgumentNullException.ThrowIfNull(varBinds);
        Type = type;
        RequestId = requestId;
        ErrorStatusField = second;
        ErrorIndexField = third;
        VarBinds = varBinds;
    }

    public SnmpPduType Type { get; }

    public int RequestId { get; }

    public SnmpErrorStatus ErrorStatus => (SnmpErrorStatus)ErrorStatusField;

    public int ErrorIndex => ErrorIndexField;

    /// <summary>GetBulk only: how many leading varbinds are fetched once.</summary>
    public int NonRepeaters => ErrorStatusField;

    /// <summary>GetBulk only: how many successors to fetch for each remaining varbind.</summary>
    public int MaxRepetitions => ErrorIndexField;

    public IReadOnlyList<VarBind> VarBinds { get; }

    // GetBulk reuses the error-status and error-index positions; these are the raw wire integers.
    internal int ErrorStatusField { get; }

    internal int ErrorIndexField { get; }

    public static SnmpPdu GetBulk(int requestId, int nonRepeaters, int maxRepetitions, IReadOnlyList<VarBind> varBinds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nonRepeaters);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRepetitions);
        return new SnmpPdu(SnmpPduType.GetBulkRequest, requestId, nonRepeaters, maxRepetitions, varBinds);
    }

    internal static SnmpPdu FromWire(SnmpPduType type, int requestId, int second, int third, IReadOnlyList<VarBind> varBinds) =>
        new(type, requestId, second, third, varBinds);

    public override string ToString() => Type == SnmpPduType.GetBulkRequest
        ? $"{Type} id={RequestId} non-repeaters={NonRepeaters} max-repetitions={MaxRepetitions} varbinds={VarBinds.Count}"
        : $"{Type} id={RequestId} status={ErrorStatus} index={ErrorIndex} varbinds={VarBinds.Count}";
}
