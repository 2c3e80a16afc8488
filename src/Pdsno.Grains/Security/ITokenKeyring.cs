namespace Pdsno.Grains.Security;

/// <summary>
/// Computes the digest a token's secret is stored and checked as, under a server-side key. The grains own this
/// contract; the store implements it (a key from configuration or the database in a silo, a fixed key in grain tests).
/// </summary>
public interface ITokenKeyring
{
    /// <summary>The digest stored for a token: a keyed hash of its id and secret.</summary>
    ValueTask<byte[]> DigestAsync(string id, string secret, CancellationToken cancellationToken = default);
}
