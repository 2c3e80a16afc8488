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
/// One connection per call: <see cref="ReadAsync"/> connects, reads and closes; <see cref="ApplyAsync"/> connects,
/// reads the running config (to know which routes to remove and what changed), runs one script and closes. Changes
/// are rare and a connection costs a key exchange, so nothing is pooled: no idle sessions to thousands of devices,
/// and no stale session after a device restarts.
/// </remarks>
public sealed partial class SshConfigDriver(
    IOptions<SshConfigDriverOptions> options,
    ISshHostKeyStore hostKeys,
    ILogger<SshConfigDriver> logger) : IConfigDriver, IDisposable
{
    /// <summary>The name configuration uses for this driver.</summary>
    public const string DriverName = "ssh";

    private readonly Lazy<PrivateKeyFile> _key = new(() => SshKeys.Load(options.Value.KeyPath ?? ""));

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public ConfigSections Sections => ConfigSections.All;

    /// <inheritdoc />
    public async Task<DeviceConfig> ReadAsync(ConfigTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var client = await ConnectAsync(target, cancellationToken);
        return (await ReadStateAsync(client, target, cancellationToken)).Config;
    }

    /// <inheritdoc />
    public async Task ApplyAsync(ConfigTarget target, DeviceConfig desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(desired);
        var started = Stopwatch.GetTimestamp();
        using var client = await ConnectAsync(target, cancellationToken);
        var current = await ReadStateAsync(client, target, cancellationToken);
        var problems = LinuxConfigScript.Problems(desired, current);
        if (problems.Count > 0)
        {
            throw new ConfigDriverException($"ssh driver: {Describe(target)} refused the config: {string.Join("; ", problems)}");
        }

        var script = LinuxConfigScript.Apply(desired, current);
        if (script is null)
        {
            LogUnchanged(logger, Describe(target));
            return;
        }

        var (exit, _, stderr) = await RunAsync(client, target, "apply", script, cancellationToken);
        if (exit != 0)
        {
            var step = LinuxConfigScript.FailedStep(stderr) ?? "apply";
            throw new ConfigDriverException($"ssh driver: {Describe(target)}: step '{step}' failed (exit {exit}): {Truncate(LinuxConfigScript.Errors(stderr))}");
        }

        LogApplied(logger, Describe(target), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
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

    private static string Describe(ConfigTarget target) => $"device {target.Region}/{target.Name} ({target.ManagementAddress})";

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "...";

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH host key of {Device} pinned on first contact: {Fingerprint}")]
    private static partial void LogPinned(ILogger logger, string device, string fingerprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Config of {Device} applied over SSH in {Milliseconds} ms")]
    private static partial void LogApplied(ILogger logger, string device, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Config of {Device} already as desired; nothing applied")]
    private static partial void LogUnchanged(ILogger logger, string device);
}
