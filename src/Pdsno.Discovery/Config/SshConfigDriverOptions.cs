using Microsoft.Extensions.Configuration;

namespace Pdsno.Discovery.Config;

/// <summary>
/// <c>ConfigDrivers:Ssh</c>: how the ssh config driver logs in. Key-based only; the key file's path is configured,
/// never its content, and neither is ever logged. Environment variables work as for every setting
/// (<c>ConfigDrivers__Ssh__KeyPath</c>).
/// </summary>
public sealed class SshConfigDriverOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ConfigDrivers:Ssh";

    /// <summary>The user to log in as; it must be allowed to run <c>ip link set</c> and write the files (root on the lab).</summary>
    public string User { get; set; } = "root";

    /// <summary>Path of the private key file (OpenSSH or PEM, without passphrase).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The devices' SSH port.</summary>
    public int Port { get; set; } = 22;

    /// <summary>How long connecting and logging in may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a device's connection is kept open unused for the next call (read-back, rollback); zero closes it after each call.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// True when the ssh driver is named in <c>ConfigDrivers:Driver</c>: then its settings must be complete at start. A
    /// silo that discovers over SNMP without naming it starts without SSH settings (monitoring only); a change to one
    /// of its devices then fails with a message naming the missing key.
    /// </summary>
    public static bool InUse(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Equals(configuration["ConfigDrivers:Driver"], SshConfigDriver.DriverName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What is wrong with these settings, each naming its key; reads the key file to check it.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(User) || User.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return $"{Section}:User '{User}' is not a user name";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{Section}:Port is {Port}; it must be between 1 and 65535";
        }

        if (ConnectTimeout < TimeSpan.FromMilliseconds(100) || ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{Section}:ConnectTimeout is {ConnectTimeout}; it must be between 00:00:00.1 and 00:05:00";
        }

        if (IdleTimeout < TimeSpan.Zero || IdleTimeout > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:IdleTimeout is {IdleTimeout}; it must be between 00:00:00 and 01:00:00";
        }

        if (string.IsNullOrWhiteSpace(KeyPath))
        {
            yield return $"{Section}:KeyPath is not set; the ssh config driver logs in with a private key file only (e.g. ConfigDrivers__Ssh__KeyPath=/etc/pdsno/id_ed25519)";
            yield break;
        }

        if (SshKeys.Problem(KeyPath) is { } problem)
        {
            yield return $"{Section}:KeyPath: {problem}";
        }
    }
}
