using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;

namespace Pdsno.Grains.Intents;

/// <summary>The config views of several devices of a tenant, read at once; devices without one are left out.</summary>
internal static class DeviceConfigReads
{
    public static async Task<Dictionary<string, DeviceConfigView>> ReadAsync(IGrainFactory grains, string tenant, IEnumerable<string> devices)
    {
        var reads = await Task.WhenAll(devices.Select(async d =>
            (Device: d, Config: await grains.GetGrain<IDeviceGrain>(new DeviceId(tenant, d).ToString()).GetConfigAsync())));
        return reads.Where(r => r.Config is not null).ToDictionary(r => r.Device, r => r.Config!, StringComparer.Ordinal);
    }
}
