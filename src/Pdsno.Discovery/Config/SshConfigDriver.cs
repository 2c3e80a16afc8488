using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Pdsno.Discovery.Config;

/// <summary>
/// Configures Linux devices over SSH: reads with <c>ip -j</c> and the driver's files, applies the difference to the
/// desired config in one script. Key-based login only; the device's host key is pinned cluster-wide on first contact
/// (<see cref="ISshHostKeyStore"/>) and a different key later refuses the connection.
/// </summary>
/// <remarks>
/// One connection per device, reused while it is busy: an apply reads the running config (to know what changed and
/// which routes to remove) and runs one script, and the read-back that follows, and a rollback after it, use the
/// same connection instead of a key exchange each (the expensive part). A connection idle for
/// <see cref="SshConfigDriverOptions.IdleTimeout"/> is closed, so PDSNO holds no sessions to devices nobody changes.
/// Calls for one device run one at a time; a call on a reused connection that finds it dead runs again on a new one
/// (safe: a call reads before it writes, and applies a whole desired state).
/// </remarks>
public sealed partial class SshConfigDriver(
    IOptions<SshConfigDriverOptions> options,
    ISshHostKeyStore hostKeys,
    ILogger<SshConfigDriver> logger) : IConfigDriver, IDisposable
{
    /// <summary>The name configuration uses for this driver.</summary>
    public const string DriverName = "ssh";

    private readonly Lazy<PrivateKeyFile> _key = new(() => SshKeys.Load(options.Value.KeyPath ?? ""));
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private Timer? _sweeper;

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public ConfigSections Sections => ConfigSections.All;

    /// <inheritdoc />
    public async Task<DeviceConfig> ReadAsync(ConfigTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return await WithSessionAsync(target, async client => (await ReadStateAsync(client, target, cancellationToken)).Config, cancellationToken);
    }

    /// <inheritdoc />
    public async Task ApplyAsync(ConfigTarget target, DeviceConfig desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(desired);
        var started = Stopwatch.GetTimestamp();
        var applied = await WithSessionAsync(target, client => ApplyOnAsync(client, target, desired, cancellationToken), cancellationToken);
        if (applied)
        {
            LogApplied(logger, Describe(target), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            LogUnchanged(logger, Describe(target));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sweeper?.Dispose();
        foreach (var session in _sessions.Values)
        {
            session.Close();
        }

        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }

    private static async Task<bool> ApplyOnAsync(SshClient client, ConfigTarget target, DeviceConfig desired, CancellationToken cancellationToken)
    {
        var current = await ReadStateAsync(client, target, cancellationToken);
        var problems = LinuxConfigScript.Problems(desired, current);
        if (problems.Count > 0)
        {
            throw new ConfigDriverException($"ssh driver: {Describe(target)} refused the config: {string.Join("; ", problems)}");
        }

        var script = LinuxConfigScript.Apply(desired, current);
        if (script is null)
        {
            return false;
        }

        var (exit, _, stderr) = await RunAsync(client, target, "apply", script, cancellationToken);
        if (exit != 0)
        {
            var step = LinuxConfigScript.FailedStep(stderr) ?? "apply";
            throw new ConfigDriverException($"ssh driver: {Describe(target)}: step '{step}' failed (exit {exit}): {Truncate(LinuxConfigScript.Errors(stderr))}");
        }

        return true;
    }

    // Runs work on the device's connection (made or reused), one call per device at a time.
    private async Task<T> WithSessionAsync<T>(ConfigTarget target, Func<SshClient, Task<T>> work, CancellationToken cancellationToken)
    {
        var session = _sessions.GetOrAdd($"{target.Tenant}/{target.Device}/{target.ManagementAddress}", _ => new Session());
        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var reused = session.Client is { IsConnected: true };
                if (!reused)
                {
                    session.Close();
                    session.Client = await ConnectAsync(target, cancellationToken);
                }

                try
                {
                    return await work(session.Client!);
                }
                catch (ConfigDriverException ex) when (reused && attempt == 0 && ex.InnerException is SshConnectionException or SocketException or ObjectDisposedException)
                {
                    session.Close(); // the device dropped the idle connection (restart, timeout): once more on a new one
                }
                catch
                {
                    // A failed or cancelled command may leave the session in doubt: the next call starts afresh.
                    session.Close();
                    throw;
                }
            }
        }
        finally
        {
            session.LastUsed = Stopwatch.GetTimestamp();
            if (options.Value.IdleTimeout <= TimeSpan.Zero)
            {
                session.Close();
            }
            else
            {
                StartSweeper(options.Value.IdleTimeout);
            }

            session.Gate.Release();
        }
    }

    private void StartSweeper(TimeSpan idle)
    {
        if (_sweeper is not null)
        {
            return;
        }

        var period = TimeSpan.FromTicks(Math.Max(idle.Ticks / 2, TimeSpan.FromSeconds(1).Ticks));
        var sweeper = new Timer(_ => CloseIdle(idle), null, period, period);
        if (Interlocked.CompareExchange(ref _sweeper, sweeper, null) is not null)
        {
            sweeper.Dispose();
        }
    }

    private void CloseIdle(TimeSpan idle)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.Client is not null && Stopwatch.GetElapsedTime(session.LastUsed) > idle && session.Gate.Wait(0))
            {
                try
                {
                    session.Close();
                }
                finally
                {
                    session.Gate.Release();
                }
            }
        }
    }

    private static async Task<LinuxDeviceState> ReadStateAsync(SshClient client, ConfigTarget target, CancellationToken cancellationToken)
    {
        var (exit, stdout, stderr) = await RunAsync(client, target, "read", LinuxConfigScript.Read, cancellationToken);
        if (exit != 0)
        {
            throw new ConfigDriverException($"ssh driver: {Describe(target)}: reading the config failed (exit {exit}): {Truncate(stderr.Trim())}");
        }

        try
        {
            return LinuxDeviceStateParser.Parse(stdout, target.ManagementAddress);
        }
        catch (FormatException ex)
        {
            throw new ConfigDriverException($"ssh driver: {Describe(target)}: the config read back cannot be parsed: {ex.Message}", ex);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(SshClient client, ConfigTarget target, string step, string script, CancellationToken cancellationToken)
    {
        using var command = client.CreateCommand(script);
        try
        {
            await command.ExecuteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SshException or SocketException or ObjectDisposedException)
        {
            throw new ConfigDriverException($"ssh driver: {Describe(target)}: the {step} command failed: {ex.Message}", ex);
        }

        return (command.ExitStatus ?? -1, command.Result, command.Error);
    }

    private async Task<SshClient> ConnectAsync(ConfigTarget target, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        PrivateKeyFile key;
        try
        {
            key = _key.Value;
        }
        catch (ConfigDriverKeyException ex)
        {
            throw new ConfigDriverException($"ssh driver: {Describe(target)}: cannot log in: {SshConfigDriverOptions.Section}:KeyPath: {ex.Message}");
        }

        var pinned = await hostKeys.FindAsync(target.Tenant, target.Device, cancellationToken);
        string? presented = null;
        var connection = new ConnectionInfo(target.ManagementAddress, settings.Port, settings.User, new PrivateKeyAuthenticationMethod(settings.User, key))
        {
            Timeout = settings.ConnectTimeout,
        };
        var client = new SshClient(connection);
        client.HostKeyReceived += (_, e) =>
        {
            presented = "SHA256:" + e.FingerPrintSHA256;
            e.CanTrust = pinned is null || pinned == presented;
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.ConnectTimeout);
            try
            {
                await client.ConnectAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ConfigDriverException($"ssh driver: {Describe(target)}: connecting timed out after {settings.ConnectTimeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex) when (pinned is not null && presented is not null && presented != pinned)
            {
                throw Mismatch(target, pinned, presented, ex);
            }
            catch (SshAuthenticationException ex)
            {
                throw new ConfigDriverException($"ssh driver: {Describe(target)}: login as '{settings.User}' with the configured key was refused", ex);
            }
            catch (Exception ex) when (ex is SshException or SocketException or TimeoutException)
            {
                throw new ConfigDriverException($"ssh driver: {Describe(target)}: cannot connect to port {settings.Port}: {ex.Message}", ex);
            }

            if (pinned is null && presented is not null)
            {
                var winner = await hostKeys.PinAsync(target.Tenant, target.Device, target.ManagementAddress, presented, cancellationToken);
                if (winner != presented)
                {
                    throw Mismatch(target, winner, presented, null);
                }

                LogPinned(logger, Describe(target), presented);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static ConfigDriverException Mismatch(ConfigTarget target, string pinned, string presented, Exception? inner)
    {
        var message = $"ssh driver: {Describe(target)}: host key mismatch, connection refused: pinned {pinned}, presented {presented}. " +
            "If the device was really re-keyed, remove its row from ssh_host_keys.";
        return inner is null ? new ConfigDriverException(message) : new ConfigDriverException(message, inner);
    }

    /// <summary>A device's connection and the gate that lets one call at a time use it.</summary>
    private sealed class Session
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SshClient? Client { get; set; }

        public long LastUsed { get; set; }

        public void Close()
        {
            Client?.Dispose();
            Client = null;
        }
    }

    private static string Describe(ConfigTarget target) => $"device {target.Region}/{target.Name} ({target.ManagementAddress})";

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "...";

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH host key of {Device} pinned on first contact: {Fingerprint}")]
    private static partial void LogPinned(ILogger logger, string device, string fingerprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Config of {Device} applied over SSH in {Milliseconds} ms")]
    private static partial void LogApplied(ILogger logger, string device, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Config of {Device} already as desired; nothing applied")]
    private static partial void LogUnchanged(ILogger logger, string device);
}
