using Pdsno.Discovery.Icmp;

namespace Pdsno.Discovery.Snmp.Discovery;

/// <summary>What a scan found at one address.</summary>
public enum TargetState
{
    /// <summary>The agent answered and the device was observed.</summary>
    Managed,

    /// <summary>Something is there (it answered ICMP echo, or answered SNMP with an error) but it cannot be read.</summary>
    Unmanageable,

    /// <summary>Neither ICMP nor SNMP answered.</summary>
    Unreachable,
}

/// <summary>One address's liveness: its state, why, and whether ICMP answered where that is known.</summary>
/// <param name="State">What the address is.</param>
/// <param name="Reason">Why an address is unmanageable; empty otherwise.</param>
/// <param name="IcmpAlive">Whether the address answered ICMP echo; null when it was not probed or the probe could not run.</param>
public sealed record TargetLiveness(TargetState State, string Reason, bool? IcmpAlive)
{
    /// <summary>
    /// Judges an address by its SNMP read and its ICMP probe. An SNMP answer proves the device alive even where ICMP
    /// is filtered; an ICMP answer without an SNMP one means a device is there that discovery cannot read (no agent,
    /// a filtered port or a wrong community, which v2c agents answer with silence).
    /// </summary>
    public static TargetLiveness Judge(SnmpReadOutcome snmp, string? snmpError, IcmpProbeResult? icmp)
    {
        // A probe that could not run (no permission to send ICMP) says nothing either way.
        bool? icmpAlive = icmp is null || (!icmp.Alive && icmp.Error is not null) ? null : icmp.Alive;
        return snmp switch
        {
            SnmpReadOutcome.Observed => new TargetLiveness(TargetState.Managed, "", icmpAlive),
            SnmpReadOutcome.Failed => new TargetLiveness(
                TargetState.Unmanageable, $"the agent answers SNMP with an error: {(string.IsNullOrWhiteSpace(snmpError) ? "unreadable answer" : snmpError)}", icmpAlive),
            _ when icmpAlive == true => new TargetLiveness(
                TargetState.Unmanageable, "answers ICMP echo but not SNMP (no agent, a filtered port or a wrong community)", icmpAlive),
            _ => new TargetLiveness(TargetState.Unreachable, "", icmpAlive),
        };
    }
}
