using System.Security.Cryptography;
using System.Text;

namespace Pdsno.Webhooks.Delivery;

/// <summary>
/// The signature of a delivery: HMAC-SHA256, keyed with the webhook's secret (its UTF-8 bytes), over
/// <c>timestamp + "." + body</c>, where the timestamp is the <see cref="TimestampHeader"/> value (Unix seconds) and the
/// body the exact bytes sent; sent as <c>sha256=</c> and lowercase hex in <see cref="SignatureHeader"/>.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-Pdsno-Signature";

    /// <summary>The header with the time of signing, in Unix seconds.</summary>
    public const string TimestampHeader = "X-Pdsno-Timestamp";

    /// <summary>The header with the sequences the body carries: one number, or <c>first-last</c>.</summary>
    public const string SequenceHeader = "X-Pdsno-Sequence";

    /// <summary>The header with the webhook's id.</summary>
    public const string WebhookHeader = "X-Pdsno-Webhook";

    /// <summary>The header with the attempt number of this request (1 for the first).</summary>
    public const string AttemptHeader = "X-Pdsno-Attempt";

    /// <summary>The header value of a signature.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>True when <paramref name="signature"/> is the signature of <paramref name="body"/> at <paramref name="timestamp"/>, compared in constant time.</summary>
    public static bool Verify(string secret, string timestamp, ReadOnlySpan<byte> body, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>A new secret: 32 random bytes, base64url, prefixed so it is recognisable in a receiver's settings.</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
