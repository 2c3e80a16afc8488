using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pdsno.Grains.Security;

namespace Pdsno.Storage.Security;

/// <summary>
/// The server-side key token digests are computed with. Configured (<c>Security:TokenKey</c>, base64, at least 32
/// bytes) it stays apart from the digests in the database; otherwise one is generated on first start and kept in
/// <c>security_keys</c>, where every silo of the cluster finds the same one.
/// </summary>
public sealed partial class TokenKeyring(NpgsqlDataSource dataSource, byte[]? configuredKey, ILogger<TokenKeyring> logger) : ITokenKeyring
{
    /// <summary>The shortest key accepted.</summary>
    public const int MinimumKeyBytes = 32;

    private const string KeyName = "token-hmac";
    private readonly Lock _gate = new();
    private byte[]? _key = configuredKey;
    private Task<byte[]>? _loading;

    /// <summary>Parses a configured key; the message names the setting when it is unusable.</summary>
    public static byte[] ParseConfiguredKey(string value, string settingName)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{settingName} must be base64 (e.g. the output of 'openssl rand -base64 32')");
        }

        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"{settingName} must hold at least {MinimumKeyBytes} bytes; it holds {key.Length}");
        }

        return key;
    }

    /// <summary>The digest stored for a token: HMAC-SHA256 of its id and secret under the key.</summary>
    public async ValueTask<byte[]> DigestAsync(string id, string secret, CancellationToken cancellationToken = default)
    {
        var key = _key ?? await Loading().WaitAsync(cancellationToken);
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(id + ":" + secret));
    }

    private Task<byte[]> Loading()
    {
        lock (_gate)
        {
            // One load for all callers; a failed load is forgotten so the next caller tries again.
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                _loading = LoadAsync();
            }

            return _loading;
        }
    }

    private async Task<byte[]> LoadAsync()
    {
        var key = await SecurityKeys.GetOrCreateAsync(dataSource, KeyName, () => RandomNumberGenerator.GetBytes(MinimumKeyBytes));
        LogDatabaseKey(logger);
        _key = key;
        return key;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token digests use the key kept in the database; set Security:TokenKey from a secret store to keep key and digests apart")]
    private static partial void LogDatabaseKey(ILogger logger);
}
