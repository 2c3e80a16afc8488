using System.Net;
using System.Net.NetworkInformation;

namespace Pdsno.Discovery.Icmp;

/// <summary>What one ICMP echo to an address gave: alive with its round trip, or the status that says why not.</summary>
public sealed record IcmpProbeResult(IPAddress Address, bool Alive, TimeSpan? RoundTrip, IPStatus Status, string? Error = null);

/// <summary>
/// Liveness by ICMP echo: one request per address with a timeout, many addresses a bounded number at a time.
/// A failure to probe (no permission, bad address) is a result, never an exception, so one target cannot stop a sweep.
/// </summary>
public sealed class IcmpProbe
{
    private static readonly byte[] Payload = new byte[32];

    public IcmpProbe(TimeSpan timeout, int parallelism = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, TimeSpan.FromMinutes(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parallelism, 1024);
        Timeout = timeout;
        Parallelism = parallelism;
    }

    public TimeSpan Timeout { get; }

    public int Parallelism { get; }

    /// <summary>Sends one echo request to <paramref name="address"/> and waits at most <see cref="Timeout"/> for the reply.</summary>
    public async Task<IcmpProbeResult> ProbeAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var ping = new Ping();
        try
        {
            var reply = await ping.SendPingAsync(address, Timeout, Payload, options: null, cancellationToken);
            return reply.Status == IPStatus.Success
                ? new IcmpProbeResult(address, true, TimeSpan.FromMilliseconds(reply.RoundtripTime), reply.Status)
                : new IcmpProbeResult(address, false, null, reply.Status);
        }
        catch (PingException ex)
        {
            return new IcmpProbeResult(address, false, null, IPStatus.Unknown, ex.InnerException?.Message ?? ex.Message);
        }
    }

    /// <summary>Probes every address, at most <see cref="Parallelism"/> at once; results are in the order of the addresses.</summary>
    public async Task<IReadOnlyList<IcmpProbeResult>> ProbeAllAsync(IEnumerable<IPAddress> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var targets = addresses.ToArray();
        var results = new IcmpProbeResult[targets.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Length), parallel, async (i, token) =>
            results[i] = await ProbeAsync(targets[i], token));
        return results;
    }
}
