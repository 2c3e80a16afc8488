using System.Net;

namespace Pdsno.Discovery.Snmp;

/// <summary>An agent to talk to: its UDP endpoint and the v2c community the caller read from a secret setting.</summary>
public sealed record SnmpTarget(IPEndPoint EndPoint, string Community)
{
    public const int DefaultPort = 161;

    public SnmpTarget(IPAddress address, string community)
        : this(new IPEndPoint(address, DefaultPort), community)
    {
    }

    // The community is a secret: logs and exception messages show the endpoint only.
    public override string ToString() => EndPoint.ToString();
}
