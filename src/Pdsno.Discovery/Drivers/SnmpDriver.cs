using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Discovery;
using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.Discovery.Drivers;

/// <summary>
/// Discovers real devices over SNMPv2c: every address of a controller's scan targets is asked for its system
/// group, and each one that answers is read for interfaces, LLDP chassis id and neighbours. Devices are polled a
/// bounded number at a time over one shared socket; none of them can stop the cycle.
/// </summary>
public sealed partial class SnmpDriver : IDeviceDriver, IAsyncDisposable
{
    /// <summary>The name configuration uses for this driver.</summary>
    public const string DriverName = "snmp";

    private readonly SnmpDriverOptions _options;
    private readonly ILogger<SnmpDriver> _logger;

    // The socket and its receive thread are only opened by a silo that really runs SNMP discovery.
    private readonly Lazy<SnmpClient> _client;

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

        LogCycle(scope.Controller.ToString(), targets.EndPoints.Count, stats.Observed, stats.Silent, stats.Failed, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated)
        {
            await _client.Value.DisposeAsync();
        }
    }

    private async Task ScanAsync(DiscoveryScope scope, IReadOnlyList<System.Net.IPEndPoint> endPoints, ChannelWriter<DeviceObservation> writer, ScanStats stats, CancellationToken cancellationToken)
    {
        var reader = new SnmpDeviceReader(_client.Value);
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
                SnmpDeviceRead read;
                try
                {
                    read = await reader.ReadAsync(new SnmpTarget(endPoint, community), address, token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // A device whose answers break the reader is skipped; the rest of the cycle goes on.
                    Interlocked.Increment(ref stats.Failed);
                    LogReadFailed(ex, controller, address);
                    return;
                }

                switch (read.Outcome)
                {
                    case SnmpReadOutcome.Observed:
                        Interlocked.Increment(ref stats.Observed);
                        foreach (var note in read.Notes)
                        {
                            LogDeviceNote(controller, address, note);
                        }

                        await writer.WriteAsync(read.Observation!, token);
                        break;
                    case SnmpReadOutcome.Silent:
                        Interlocked.Increment(ref stats.Silent);
                        LogSilent(controller, address);
                        break;
                    default:
                        Interlocked.Increment(ref stats.Failed);
                        LogErrorAnswer(controller, address, string.Join("; ", read.Notes));
                        break;
                }
            });
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Controller {ControllerId} cannot run SNMP discovery: {Problems}")]
    private partial void LogMisconfigured(string controllerId, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {ControllerId}: {Problem}")]
    private partial void LogTargetProblem(string controllerId, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {ControllerId}: no SNMP answer from {Address}")]
    private partial void LogSilent(string controllerId, string address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {ControllerId}: {Address} answered with an error: {Error}")]
    private partial void LogErrorAnswer(string controllerId, string address, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {ControllerId}: {Address}: {Note}")]
    private partial void LogDeviceNote(string controllerId, string address, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {ControllerId}: reading {Address} failed; the device is skipped this cycle")]
    private partial void LogReadFailed(Exception exception, string controllerId, string address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {ControllerId} SNMP scan of {Addresses} addresses: {Observed} observed, {Silent} silent, {Failed} failed, in {ElapsedMs:F0} ms")]
    private partial void LogCycle(string controllerId, int addresses, int observed, int silent, int failed, double elapsedMs);

    // Fields, not properties: the parallel readers count with Interlocked.
    private sealed class ScanStats
    {
        public int Observed;
        public int Silent;
        public int Failed;
    }
}
