using System.Net;
using Pdsno.Discovery.Icmp;

namespace Pdsno.UnitTests.Icmp;

public class IcmpProbeTests
{
    [Fact]
    public async Task Loopback_answers_the_echo()
    {
        var probe = new IcmpProbe(TimeSpan.FromSeconds(2));

        var result = await probe.ProbeAsync(IPAddress.Loopback);

        Assert.True(result.Alive, $"127.0.0.1 did not answer: {result.Status} {result.Error}");
        Assert.NotNull(result.RoundTrip);
        Assert.Equal(IPAddress.Loopback, result.Address);
    }

    [Fact]
    public async Task A_sweep_keeps_the_order_of_its_addresses()
    {
        // Probes only ever go to loopback (127.0.0.0/8 answers on Linux); a silent host is exercised by the lab
        // tests, inside namespaces they build, never by sending to addresses outside this machine.
        var addresses = Enumerable.Range(1, 12).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();
        var probe = new IcmpProbe(TimeSpan.FromMilliseconds(500), parallelism: 3);

        var results = await probe.ProbeAllAsync(addresses);

        Assert.Equal(addresses, results.Select(r => r.Address));
        Assert.All(results, r => Assert.True(r.Alive, $"{r.Address}: {r.Status} {r.Error}"));
        Assert.All(results, r => Assert.NotNull(r.RoundTrip));
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(1000, 0)]
    [InlineData(1000, 2000)]
    public void Nonsense_settings_are_refused(int timeoutMs, int parallelism)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IcmpProbe(TimeSpan.FromMilliseconds(timeoutMs), parallelism));
    }
}
