using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Pdsno.Security;

/// <summary>
/// Which presented tokens verified or failed on this silo lately, by a digest of the whole token (never the token
/// itself). It only decides what a locked-out address may still have verified; every request is verified anew, so a
/// revoked token fails at once whatever is remembered here.
/// </summary>
internal sealed class RecentTokens
{
    private const int Capacity = 10_000;
    private static readonly long Lifetime = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
    private readonly ConcurrentDictionary<string, (bool Verified, long Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>The key a presented token is remembered under.</summary>
    public static string Fingerprint(string presented) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>True: verified lately; false: failed lately; null: not seen lately.</summary>
    public bool? Lookup(string fingerprint) =>
        _entries.TryGetValue(fingerprint, out var entry) && entry.Until > Environment.TickCount64 ? entry.Verified : null;

    /// <summary>Remembers the outcome of verifying a token.</summary>
    public void Remember(string fingerprint, bool verified)
    {
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(fingerprint, out var known) && known.Verified == verified && known.Until - now > Lifetime / 2)
        {
            // Fresh enough: a token in steady use does not write on every request.
            return;
        }

        if (_entries.Count >= Capacity)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.Until <= now)
                {
                    _entries.TryRemove(key, out _);
                }
            }

            // Still full of live entries (a flood of distinct tokens): forget them all rather than grow. Nothing passes
            // for that which would not verify; at worst a good token waits for the small allowance of a lock-out.
            if (_entries.Count >= Capacity)
            {
                _entries.Clear();
            }
        }

        _entries[fingerprint] = (verified, now + Lifetime);
    }
}
