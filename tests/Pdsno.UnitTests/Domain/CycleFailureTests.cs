using Pdsno.Abstractions.Discovery;
using Pdsno.Grains.Controllers;

namespace Pdsno.UnitTests.Domain;

public class CycleFailureTests
{
    [Fact]
    public void A_controller_status_shows_our_words_not_the_exception_text()
    {
        var internals = new InvalidOperationException("Npgsql: connection to 10.1.2.3:5432 refused; password authentication failed for user pdsno");

        var shown = CycleFailure.Describe(internals, "snmp", TimeSpan.FromSeconds(90));

        Assert.Equal("driver 'snmp' failed: see log", shown);
        Assert.DoesNotContain("10.1.2.3", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_written_for_the_operator_and_timeouts_are_told_as_such()
    {
        Assert.Equal("SNMP timeout on 100.64.0.10", CycleFailure.Describe(new DiscoveryException("SNMP timeout on 100.64.0.10"), "snmp", TimeSpan.FromSeconds(90)));
        Assert.Equal("the cycle did not finish within 90 s", CycleFailure.Describe(new OperationCanceledException("token 0x1234 cancelled"), "simulated", TimeSpan.FromSeconds(90)));
    }
}
