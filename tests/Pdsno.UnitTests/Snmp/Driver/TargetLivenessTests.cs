using System.Net;
using System.Net.NetworkInformation;
using Pdsno.Discovery.Icmp;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.UnitTests.Snmp.Driver;

public class TargetLivenessTests
{
    private static readonly IPAddress Address = IPAddress.Parse("192.0.2.7");
    private static readonly IcmpProbeResult Pong = new(Address, true, TimeSpan.FromMilliseconds(1), IPStatus.Success);
    private static readonly IcmpProbeResult NoPong = new(Address, false, null, IPStatus.TimedOut);
    private static readonly IcmpProbeResult CannotProbe = new(Address, false, null, IPStatus.Unknown, "permission denied");

    [Fact]
    public void An_snmp_answer_is_alive_even_where_icmp_is_filtered()
    {
        var liveness = TargetLiveness.Judge(SnmpReadOutcome.Observed, null, NoPong);

        Assert.Equal(new TargetLiveness(TargetState.Managed, "", false), liveness);
    }

    [Fact]
    public void Ping_without_snmp_is_alive_but_unmanageable()
    {
        var liveness = TargetLiveness.Judge(SnmpReadOutcome.Silent, null, Pong);

        Assert.Equal(TargetState.Unmanageable, liveness.State);
        Assert.Equal(true, liveness.IcmpAlive);
        Assert.Contains("wrong community", liveness.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_answer_is_unmanageable_whatever_icmp_says()
    {
        Assert.All(
            new IcmpProbeResult?[] { Pong, NoPong, CannotProbe, null },
            icmp => Assert.Equal(TargetState.Unmanageable, TargetLiveness.Judge(SnmpReadOutcome.Failed, "genErr at 1", icmp).State));
        Assert.EndsWith("genErr at 1", TargetLiveness.Judge(SnmpReadOutcome.Failed, "genErr at 1", null).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Silence_on_both_is_unreachable_and_a_probe_that_could_not_run_says_nothing()
    {
        Assert.Equal(new TargetLiveness(TargetState.Unreachable, "", false), TargetLiveness.Judge(SnmpReadOutcome.Silent, null, NoPong));
        Assert.Equal(new TargetLiveness(TargetState.Unreachable, "", null), TargetLiveness.Judge(SnmpReadOutcome.Silent, null, CannotProbe));
        Assert.Equal(new TargetLiveness(TargetState.Unreachable, "", null), TargetLiveness.Judge(SnmpReadOutcome.Silent, null, null));
        Assert.Null(TargetLiveness.Judge(SnmpReadOutcome.Observed, null, CannotProbe).IcmpAlive);
    }
}
