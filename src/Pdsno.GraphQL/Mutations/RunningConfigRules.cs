using System.Net;
using Pdsno.Abstractions.Config;

namespace Pdsno.GraphQL.Mutations;

/// <summary>What a sandbox edit of a running config must satisfy before it reaches the device, with the field at fault.</summary>
public static class RunningConfigRules
{
    /// <summary>The first problem of <paramref name="patch"/> (message and input field), or null.</summary>
    public static (string Message, string Field)? Problem(ConfigPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (patch.IsEmpty)
        {
            return ("the input changes nothing; give at least one setting", "deviceId");
        }

        var interfaces = patch.Interfaces.IsDefault ? [] : patch.Interfaces;
        if (interfaces.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return ($"interfaces: '{twice.Key}' is given twice", "interfaces");
        }

        if (interfaces.FirstOrDefault(i => i.Mtu is < DeviceConfig.MinMtu or > DeviceConfig.MaxMtu) is { } mtu)
        {
            return ($"interfaces: mtu {mtu.Mtu} of '{mtu.Name}' is outside {DeviceConfig.MinMtu}..{DeviceConfig.MaxMtu}", "interfaces");
        }

        foreach (var route in patch.AddRoutes.IsDefault ? [] : patch.AddRoutes)
        {
            if (!IPNetwork.TryParse(route.Prefix, out _))
            {
                return ($"addRoutes: '{route.Prefix}' is not a prefix such as 10.0.0.0/8", "addRoutes");
            }

            if (!IPAddress.TryParse(route.NextHop, out _))
            {
                return ($"addRoutes: next hop '{route.NextHop}' is not an address", "addRoutes");
            }

            if (route.Metric < 0)
            {
                return ($"addRoutes: metric {route.Metric} is negative", "addRoutes");
            }
        }

        foreach (var server in (patch.NtpServers ?? []).Concat(patch.DnsServers ?? []))
        {
            if (string.IsNullOrWhiteSpace(server))
            {
                return ("ntpServers/dnsServers: a server is empty", patch.NtpServers?.Contains(server) == true ? "ntpServers" : "dnsServers");
            }
        }

        return null;
    }
}
