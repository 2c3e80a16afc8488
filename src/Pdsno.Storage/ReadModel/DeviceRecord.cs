namespace Pdsno.Storage.ReadModel;

/// <summary>
/// A device row of the read model; statuses are the stored upper-case names (ACTIVE, UNREACHABLE, INACTIVE), and
/// problems what was wrong with the device's data in its last observation.
/// </summary>
public sealed record DeviceRecord(
    string Key,
    string Region,
    string ChassisId,
    string Name,
    string Vendor,
    string Model,
    string OsVersion,
    string ManagementAddress,
    string Role,
    string Status,
    DateTimeOffset StatusSince,
    DateTimeOffset FirstSeen,
    IReadOnlyList<string> Problems);
