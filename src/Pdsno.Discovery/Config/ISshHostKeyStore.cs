namespace Pdsno.Discovery.Config;

/// <summary>
/// The SSH host keys the cluster has pinned, one per device: the first key seen is kept, every later connection must
/// present the same key. Shared by every silo, so a device cannot present one key to one silo and another to the next.
/// </summary>
public interface ISshHostKeyStore
{
    /// <summary>The pinned fingerprint (<c>SHA256:...</c>) of the device, or null when none is pinned yet.</summary>
    Task<string?> FindAsync(string tenant, string device, CancellationToken cancellationToken);

    /// <summary>
    /// Pins <paramref name="fingerprint"/> unless a key is already pinned (first writer wins, atomically) and returns
    /// the fingerprint that is pinned afterwards: the caller's when it won, the earlier one otherwise.
    /// </summary>
    Task<string> PinAsync(string tenant, string device, string address, string fingerprint, CancellationToken cancellationToken);
}
