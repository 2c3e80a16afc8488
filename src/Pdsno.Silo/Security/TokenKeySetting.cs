using Pdsno.Silo.Hosting;
using Pdsno.Storage.Security;

namespace Pdsno.Silo.Security;

/// <summary>The <c>Security:TokenKey</c> setting, read the same way by the silo and the token command line.</summary>
public static class TokenKeySetting
{
    /// <summary>The configuration key.</summary>
    public const string Key = "Security:TokenKey";

    /// <summary>The configured key, or null when none is set (a key kept in the database is used then).</summary>
    public static byte[]? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[Key] is not { Length: > 0 } configured)
        {
            return null;
        }

        try
        {
            return TokenKeyring.ParseConfiguredKey(configured, Key);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
    }
}
