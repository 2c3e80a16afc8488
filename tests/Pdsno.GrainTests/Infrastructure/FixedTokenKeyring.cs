using System.Security.Cryptography;
using System.Text;
using Pdsno.Grains.Security;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>Token digests under a fixed key: the grains' rules, none of the key's storage.</summary>
public sealed class FixedTokenKeyring : ITokenKeyring
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <inheritdoc />
    public ValueTask<byte[]> DigestAsync(string id, string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(id + ":" + secret)));
}
