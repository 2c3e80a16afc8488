using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Loading;

/// <summary>
/// A device as a caller names it: by global id (the key only), by plain text (a key, or else a name), or by name
/// alone, optionally within one region. Names repeat across regions, so a name may match several devices.
/// </summary>
public readonly record struct DeviceRef(string Text, string? Key, string? Name, string? Region)
{
    /// <summary>
    /// What an argument that takes a device means: a global id of a device names its key only; any other text is a
    /// key or, when no device has that key, a name. False for a global id of something else.
    /// </summary>
    public static bool TryParse(string text, out DeviceRef reference)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (GlobalId.TryDecode(text, out var type, out var key))
        {
            reference = new DeviceRef(text, type == GlobalId.Device ? key : null, null, null);
            return type == GlobalId.Device;
        }

        reference = new DeviceRef(text, text, text, null);
        return true;
    }

    /// <summary>A device by its exact name, within <paramref name="region"/> when given.</summary>
    public static DeviceRef ByName(string name, string? region = null) => new(name, null, name, region);
}

/// <summary>
/// What a <see cref="DeviceRef"/> found among the devices the caller may see: the device, or none, or several
/// devices of one name (<see cref="Regions"/> has the region of each device matched).
/// </summary>
public sealed record DeviceMatch(DeviceRef Reference, DeviceRecord? Device, IReadOnlyList<string> Regions)
{
    /// <summary>True when several visible devices carry the name and nothing says which one is meant.</summary>
    public bool IsAmbiguous => Device is null && Regions.Count > 1;

    /// <summary>
    /// Why the reference names no single device, for the caller (null when it does): ambiguous (bad input) or not
    /// found. A device outside the caller's regions was never a candidate, so it reads like one that does not exist.
    /// </summary>
    public string? Problem(string argument, string hint = "give the device's id instead")
    {
        if (Device is not null)
        {
            return null;
        }

        var text = Reference.Text;
        if (IsAmbiguous)
        {
            return $"{argument}: {Regions.Count} devices are named '{text}', in regions {string.Join(", ", Regions.Distinct(StringComparer.Ordinal))}; {hint}";
        }

        var where = Reference.Region is null ? "" : $" in region '{Reference.Region}'";
        return $"{argument}: device '{text}' not found{where}";
    }
}

/// <summary>Resolves device references against the read model, honouring the caller's tenant and regions.</summary>
public static class DeviceLookup
{
    /// <summary>
    /// Decides what <paramref name="reference"/> names among <paramref name="candidates"/> (rows the caller may see):
    /// a device with the key wins; else the one device with the name (in the region, when given); else none.
    /// </summary>
    public static DeviceMatch Match(DeviceRef reference, IEnumerable<DeviceRecord> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var rows = candidates as IReadOnlyCollection<DeviceRecord> ?? candidates.ToList();
        if (reference.Key is { } key && rows.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.Ordinal)) is { } byKey)
        {
            return new DeviceMatch(reference, byKey, [byKey.Region]);
        }

        if (reference.Name is not { } name)
        {
            return new DeviceMatch(reference, null, []);
        }

        var named = rows
            .Where(d => string.Equals(d.Name, name, StringComparison.Ordinal) && (reference.Region is null || string.Equals(d.Region, reference.Region, StringComparison.Ordinal)))
            .DistinctBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        return named.Count == 1
            ? new DeviceMatch(reference, named[0], [named[0].Region])
            : new DeviceMatch(reference, null, [.. named.Select(d => d.Region).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Resolves every reference with one statement; the matches come in the order of <paramref name="references"/>.</summary>
    public static async Task<IReadOnlyList<DeviceMatch>> ResolveAsync(TopologyReader reader, Caller caller, IReadOnlyList<DeviceRef> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(references);
        var rows = await reader.FindDevicesByKeyOrNameAsync(
            caller.Tenant,
            [.. references.Select(r => r.Key).OfType<string>()],
            [.. references.Select(r => r.Name).OfType<string>()],
            caller.IsRegionScoped ? caller.Regions : null,
            cancellationToken);

        // The statement already keeps to the caller's regions; this says so again where a mistake would leak.
        var visible = rows.Where(d => caller.CanSeeRegion(d.Region)).ToList();
        return [.. references.Select(r => Match(r, visible))];
    }

    /// <summary>Resolves one reference (one statement).</summary>
    public static async Task<DeviceMatch> ResolveAsync(TopologyReader reader, Caller caller, DeviceRef reference, CancellationToken cancellationToken) =>
        (await ResolveAsync(reader, caller, [reference], cancellationToken))[0];
}
