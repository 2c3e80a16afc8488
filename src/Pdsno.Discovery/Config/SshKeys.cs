using Renci.SshNet;
using Renci.SshNet.Common;

namespace Pdsno.Discovery.Config;

/// <summary>Loads the driver's private key; messages name the file, never its content.</summary>
internal static class SshKeys
{
    /// <summary>Why <paramref name="path"/> cannot serve as the login key, or null when it can.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using var key = Load(path);
            return null;
        }
        catch (ConfigDriverKeyException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Reads the key; throws <see cref="ConfigDriverKeyException"/> naming the file.</summary>
    public static PrivateKeyFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigDriverKeyException($"the key file '{path}' does not exist");
        }

        if (!OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new ConfigDriverKeyException($"the key file '{path}' is readable or writable by other users; restrict it to its owner (chmod 600)");
        }

        try
        {
            return new PrivateKeyFile(path);
        }
        catch (Exception ex) when (ex is SshException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // The library's message says what kind of problem it is (format, passphrase); it never quotes the key.
            throw new ConfigDriverKeyException($"the key file '{path}' cannot be read as an unencrypted private key ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }
}

/// <summary>The configured login key is unusable; the message names the file only.</summary>
internal sealed class ConfigDriverKeyException : Exception
{
    public ConfigDriverKeyException()
    {
    }

    public ConfigDriverKeyException(string message)
        : base(message)
    {
    }

    public ConfigDriverKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
