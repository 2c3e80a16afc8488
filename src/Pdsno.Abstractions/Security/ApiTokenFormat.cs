using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Pdsno.Abstractions.Security;

/// <summary>
/// The presented form of a token, <c>pdsno_&lt;id&gt;_&lt;secret&gt;</c>: a 16-hex-digit id to find the token by and
/// 256 random bits as 64 hex digits. The prefix makes leaked tokens easy to recognise by secret scanners.
/// </summary>
public static class ApiTokenFormat
{
    /// <summary>The prefix of every token.</summary>
    public const string Prefix = "pdsno_";

    private const int IdHexDigits = 16;
    private const int SecretBytes = 32;

    /// <summary>The length of a well-formed token.</summary>
    public static int Length { get; } = Prefix.Length + IdHexDigits + 1 + (SecretBytes * 2);

    /// <summary>A new random token id and secret.</summary>
    public static (string Id, string Secret) Generate() =>
        (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdHexDigits / 2)), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes)));

    /// <summary>The token as presented by clients.</summary>
    public static string Format(string id, string secret) => $"{Prefix}{id}_{secret}";

    /// <summary>Splits a presented token; false when it does not have the token's shape.</summary>
    public static bool TryParse(string? token, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        id = secret = null;
        if (token is null || token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal) || token[Prefix.Length + IdHexDigits] != '_')
        {
            return false;
        }

        var idPart = token.AsSpan(Prefix.Length, IdHexDigits);
        var secretPart = token.AsSpan(Prefix.Length + IdHexDigits + 1);
        if (!IsLowerHex(idPart) || !IsLowerHex(secretPart))
        {
            return false;
        }

        id = idPart.ToString();
        secret = secretPart.ToString();
        return true;
    }

    /// <summary>True when <paramref name="id"/> could be a token id (used before it becomes a grain key).</summary>
    public static bool IsTokenId(string? id) => id is { Length: IdHexDigits } && IsLowerHex(id);

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
