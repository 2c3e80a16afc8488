using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Discovery;
using Pdsno.Discovery.Icmp;
using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.Discovery.Drivers;

/// <summary>
/// Discovers real devices over SNMPv2c: every address of a controller's scan targets is asked for its system
/// group, and each one that answers is read for interfaces, LLDP chassis id and neighbours. Each address is also
/// probed by ICMP echo, so one that answers ping but not SNMP is reported as alive but unmanageable. Devices are
/// polled a bounded number at a time over one shared socket; none of them can stop the cycle.
/// </summary>
public sealed partial class SnmpDriver : IDeviceDriver, IAsyncDisposable
{
    /// <summary>The name configuration uses for this driver.</summary>
    public const string DriverName = "snmp";

    private readonly SnmpDriverOptions _options;
    private readonly ILogger<SnmpDriver> _logger;

    // The socket and its receive thread are only opened by a silo that really runs SNMP discovery.
    private readonly Lazy<SnmpClient> _client;

    // Addresses found unmanageable, with the reason, per controller: each is a warning once, not every cycle.
    private readonly ConcurrentDictionary<(string Controller, string Address), string> _unmanageable = new();
    private int _icmpUnavailableLogged;

    public SnmpDriver(IOptions<SnmpDriverOptions> options, ILogger<SnmpDriver> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _client = new Lazy<SnmpClient>(() => new SnmpClient(new SnmpClientOptions
        {
            Timeout = TimeSpan.FromMilliseconds(Math.Max(10, _options.TimeoutMs)),
            Retries = Math.Max(0, _options.Retries),
        }));
    }

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public async IAsyncEnumerable<DeviceObservation> DiscoverAsync(DiscoveryScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var problems = _options.Problems();
        if (problems.Count > 0)
        {
            LogMisconfigured(scope.Controller.ToString(), string.Join("; ", problems));
            yield break;
        }

        var targets = ScanTargets.Expand(scope.Targets, _options.Port, _options.MaxAddressesPerController);
        foreach (var problem in targets.Problems)
        {
            LogTargetProblem(scope.Controller.ToString(), problem);
        }

        if (targets.EndPoints.Count == 0)
        {
            yield break;
        }

        var stats = new ScanStats();
        var started = Stopwatch.GetTimestamp();
        var channel = Channel.CreateBounded<DeviceObservation>(new BoundedChannelOptions(_options.Parallelism * 2) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Off the caller's scheduler (a grain's), so the polling runs on the thread pool while the grain consumes.
        var scan = Task.Run(() => ScanAsync(scope, targets.EndPoints, channel.Writer, stats, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var observation in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return observation;
            }

            await scan;
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await scan;
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early or the cycle was cancelled: the scan ends with it.
            }
        }

        // A cycle that found devices it cannot manage is worth an operator's eye; an ordinary one is not.
        LogCycle(
            stats.Unmanageable > 0 ? LogLevel.Information : LogLevel.Debug,
            scope.Controller.ToString(), targets.EndPoints.Count, stats.Observed, stats.Unmanageable, stats.Silent, stats.IcmpAlive, stats.IcmpFiltered,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated)
        {
            await _client.Value.DisposeAsync();
        }
    }

    private async Task ScanAsync(DiscoveryScope scope, IReadOnlyList<IPEndPoint> endPoints, ChannelWriter<DeviceObservation> writer, ScanStats stats, CancellationToken cancellationToken)
    {
        var reader = new SnmpDeviceReader(_client.Value, _options.MaxRowsPerTable, _options.MaxRowsPerDevice);
        var icmp = _options.Icmp ? new IcmpProbe(TimeSpan.FromMilliseconds(_options.IcmpTimeoutMs)) : null;
        // Several targets may share an address (agents on other ports): it is pinged once per cycle.
        var probes = new ConcurrentDictionary<IPAddress, Lazy<Task<IcmpProbeResult>>>();
        var community = _options.Community!;
        var controller = scope.Controller.ToString();
        try
        {
            var parallel = new ParallelOptions
            {
                MaxDegreeOfParallelism = _options.Parallelism,
                CancellationToken = cancellationToken,
                TaskScheduler = TaskScheduler.Default,
            };
            await Parallel.ForEachAsync(endPoints, parallel, async (endPoint, token) =>
            {
                var address = SnmpDeviceReader.ManagementAddressOf(endPoint);
                var ping = icmp is null
                    ? null
                    : probes.GetOrAdd(endPoint.Address, a => new Lazy<Task<IcmpProbeResult>>(() => ProbeAsync(icmp, a, token))).Value;
                SnmpDeviceRead read;
                try
                {
                    read = await reader.ReadAsync(new SnmpTarget(endPoint, community), address, token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // A device whose answers break the reader is skipped; the rest of the cycle goes on.
                    LogReadFailed(ex, controller, address);
                    read = new SnmpDeviceRead(SnmpReadOutcome.Failed, null, [ex is SnmpException ? ex.Message : "reading the device failed: see log"]);
                }

                var liveness = TargetLiveness.Judge(read.Outcome, string.Join("; ", read.Notes), ping is null ? null : await ping);
                stats.Count(liveness);
                Remember(controller, address, liveness);
                if (read.Outcome == SnmpReadOutcome.Observed)
                {
                    foreach (var note in read.Notes)
                    {
                        LogDeviceNote(controller, address, note);
                    }

                    await writer.WriteAsync(read.Observation!, token);
                }
                else if (liveness.State == TargetState.Unreachable)
                {
                    LogSilent(controller, address);
                }
            });
            Forget(controller, endPoints);
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    private async Task<IcmpProbeResult> ProbeAsync(IcmpProbe icmp, IPAddress address, CancellationToken cancellationToken)
    {
        IcmpProbeResult result;
        try
        {
            result = await icmp.ProbeAsync(address, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            result = new IcmpProbeResult(address, false, null, System.Net.NetworkInformation.IPStatus.Unknown, ex.Message);
        }

        if (!result.Alive && result.Error is not null && Interlocked.Exchange(ref _icmpUnavailableLogged, 1) == 0)
        {
            LogIcmpUnavailable(address.ToString(), result.Error);
        }

        return result;
    }

    // Addresses no longer among a controller's targets are forgotten, so the memory of warnings stays bounded.
    private void Forget(string controller, IReadOnlyList<IPEndPoint> endPoints)
    {
        HashSet<string>? scanned = null;
        foreach (var key in _unmanageable.Keys.Where(k => k.Controller == controller))
        {
            scanned ??= endPoints.Select(SnmpDeviceReader.ManagementAddressOf).ToHashSet(StringComparer.Ordinal);
            if (!scanned.Contains(key.Address))
            {
                _unmanageable.TryRemove(key, out _);
            }
        }
    }

    // An unmanageable address is a warning when it becomes one, and only a debug line while it stays one.
    private void Remember(string controller, string address, TargetLiveness liveness)
    {
        var key = (controller, address);
        if (liveness.State != TargetState.Unmanageable)
        {
            _unmanageable.TryRemove(key, out _);
            return;
        }

        if (_unmanageable.TryGetValue(key, out var known) && known == liveness.Reason)
        {
            LogStillUnmanageable(controller, address, liveness.Reason);
            return;
        }

        _unmanageable[key] = liveness.Reason;
        LogUnmanageable(controller, address, liveness.Reason, liveness.IcmpAlive);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Controller {ControllerId} cannot run SNMP discovery: {Problems}")]
    private partial void LogMisconfigured(string controllerId, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {ControllerId}: {Problem}")]
    private partial void LogTargetProblem(string controllerId, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {ControllerId}: no SNMP answer from {Address}")]
    private partial void LogSilent(string controllerId, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {ControllerId}: {Address} is alive but unmanageable: {Reason} (ICMP alive: {IcmpAlive})")]
    private partial void LogUnmanageable(string controllerId, string address, string reason, bool? icmpAlive);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {ControllerId}: {Address} is still unmanageable: {Reason}")]
    private partial void LogStillUnmanageable(string controllerId, string address, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ICMP liveness is unavailable on this silo (probing {Address}: {Error}); SNMP answers alone decide liveness. Set Discovery:Snmp:Icmp=false to stop probing")]
    private partial void LogIcmpUnavailable(string address, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {ControllerId}: {Address}: {Note}")]
    private partial void LogDeviceNote(string controllerId, string address, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {ControllerId}: reading {Address} failed; the device is skipped this cycle")]
    private partial void LogReadFailed(Exception exception, string controllerId, string address);

    [LoggerMessage(Message = "Controller {ControllerId} SNMP scan of {Addresses} addresses: {Observed} observed, {Unmanageable} alive but unmanageable, {Silent} silent; {IcmpAlive} answered ICMP, {IcmpFiltered} observed without an ICMP answer; in {ElapsedMs:F0} ms")]
    private partial void LogCycle(LogLevel level, string controllerId, int addresses, int observed, int unmanageable, int silent, int icmpAlive, int icmpFiltered, double elapsedMs);

    // Fields, not properties: the parallel readers count with Interlocked.
    private sealed class ScanStats
    {
        public int Observed;
        public int Unmanageable;
        public int Silent;
        public int IcmpAlive;
        public int IcmpFiltered;

        public void Count(TargetLiveness liveness)
        {
            switch (liveness.State)
            {
                case TargetState.Managed:
                    Interlocked.Increment(ref Observed);
                    break;
                case TargetState.Unmanageable:
                    Interlocked.Increment(ref Unmanageable);
                    break;
                default:
                    Interlocked.Increment(ref Silent);
                    break;
            }

            if (liveness.IcmpAlive == true)
            {
                Interlocked.Increment(ref IcmpAlive);
            }
            else if (liveness.IcmpAlive == false && liveness.State == TargetState.Managed)
            {
                Interlocked.Increment(ref IcmpFiltered);
            }
        }
    }
}
