namespace Pdsno.Abstractions.Ids;

/// <summary>A device of a tenant; its grain key is <c>tenant/device</c>. Devices keep their id when they move region.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.device-id")]
public readonly record struct DeviceId
{
    /// <summary>Creates a device id after validating both parts.</summary>
    public DeviceId(string tenant, string device)
    {
        Tenant = KeyPart.Validate(tenant, nameof(tenant));
        Device = KeyPart.Validate(device, nameof(device));
    }

    /// <summary>The owning tenant.</summary>
    [Id(0)] public string Tenant { get; }

    /// <summary>The device key, unique within the tenant.</summary>
    [Id(1)] public string Device { get; }

    /// <summary>The grain key.</summary>
    public override string ToString() => $"{Tenant}/{Device}";

    /// <summary>Parses a <c>tenant/device</c> key.</summary>
    public static DeviceId Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 2)
        {
            throw new FormatException($"'{key}' is not a device key of the form tenant/device");
        }

        return new DeviceId(parts[0], parts[1]);
    }

    /// <summary>
    /// The device key for a chassis id: one device per chassis, whichever controller saw it. MAC-style ids
    /// are normalised (lower case, no separators) so "00:1A:2B.." and "001a.2b.." meet in one grain.
    /// </summary>
    public static DeviceId ForChassis(string tenant, string chassisId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chassisId);
        Span<char> buffer = stackalloc char[Math.Min(chassisId.Length, KeyPart.MaxLength)];
        var n = 0;
        var macLike = true;
        foreach (var c in chassisId)
        {
            if (c is ':' or '-' or '.')
            {
                continue;
            }

            if (!Uri.IsHexDigit(c))
            {
                macLike = false;
                break;
            }

            if (n == buffer.Length)
            {
                macLike = false;
                break;
            }

            buffer[n++] = char.ToLowerInvariant(c);
        }

        var key = macLike && n == 12 ? "c" + new string(buffer[..n]) : Slug(chassisId);
        return new DeviceId(tenant, key);
    }

    // Non-MAC chassis ids keep their case and characters where they are safe; the "s-" prefix keeps them apart
    // from MAC keys ("c" + 12 hex digits), and a hash of the original keeps ids apart that differ only in
    // characters that had to be replaced or beyond the length a key may have.
    private static string Slug(string value)
    {
        value = value.Trim();
        var safe = new string(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' ? c : '_').ToArray());
        var key = "s-" + safe;
        if (safe != value || key.Length > KeyPart.MaxLength)
        {
            var hash = StableHash(value);
            key = key[..Math.Min(key.Length, KeyPart.MaxLength - hash.Length - 1)] + "-" + hash;
        }

        return key;
    }

    /// <summary>
    /// The first 80 bits of SHA-256 in hex: stable across processes and versions, and, unlike the 32-bit FNV-1a it
    /// replaces, too wide for a device to craft a chassis id that lands on another device's key.
    /// </summary>
    private static string StableHash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)).AsSpan(0, 10));
}
