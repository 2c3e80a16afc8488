using System.Collections.Immutable;

namespace Pdsno.Abstractions.Config;

/// <summary>The change to one interface: only the fields given change. Interfaces are named, never created.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.interface-patch")]
public sealed record InterfacePatch(
    [property: Id(0)] string Name,
    [property: Id(1)] bool? Enabled = null,
    [property: Id(2)] string? Description = null,
    [property: Id(3)] int? Mtu = null)
{
    /// <summary>True when nothing would change.</summary>
    public bool IsEmpty => Enabled is null && Description is null && Mtu is null;
}

/// <summary>A route to remove: by prefix and next hop, or every route of the prefix when the next hop is null.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.route-ref")]
public sealed record RouteRef(
    [property: Id(0)] string Prefix,
    [property: Id(1)] string? NextHop = null);

/// <summary>
/// What a change does to one device, shaped after <see cref="DeviceConfig"/>: null fields stay as they are; server
/// lists, when given, replace the list; routes are removed first, then added (an added route replaces one with
/// the same prefix and next hop).
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.config-patch")]
public sealed record ConfigPatch(
    [property: Id(0)] string? Hostname = null,
    [property: Id(1)] string? Location = null,
    [property: Id(2)] string? Contact = null,
    [property: Id(3)] ImmutableArray<string>? NtpServers = null,
    [property: Id(4)] ImmutableArray<string>? DnsServers = null,
    [property: Id(5)] ImmutableArray<InterfacePatch> Interfaces = default,
    [property: Id(6)] ImmutableArray<StaticRoute> AddRoutes = default,
    [property: Id(7)] ImmutableArray<RouteRef> RemoveRoutes = default)
{
    /// <summary>True when the patch names nothing to change.</summary>
    public bool IsEmpty =>
        Hostname is null && Location is null && Contact is null && NtpServers is null && DnsServers is null
        && (Interfaces.IsDefaultOrEmpty || Interfaces.All(i => i.IsEmpty))
        && AddRoutes.IsDefaultOrEmpty && RemoveRoutes.IsDefaultOrEmpty;

    /// <summary>
    /// The config after this patch. Throws <see cref="ArgumentException"/> naming an interface the config does not
    /// have; values are applied as given (validation is the caller's).
    /// </summary>
    public DeviceConfig ApplyTo(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var interfaces = (config.Interfaces.IsDefault ? [] : config.Interfaces).ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var p in Interfaces.IsDefault ? [] : Interfaces)
        {
            if (!interfaces.TryGetValue(p.Name, out var current))
            {
                throw new ArgumentException($"interface '{p.Name}' does not exist on the device");
            }

            interfaces[p.Name] = current with
            {
                Enabled = p.Enabled ?? current.Enabled,
                Description = p.Description ?? current.Description,
                Mtu = p.Mtu ?? current.Mtu,
            };
        }

        var routes = (config.Routes.IsDefault ? [] : config.Routes).ToList();
        foreach (var r in RemoveRoutes.IsDefault ? [] : RemoveRoutes)
        {
            routes.RemoveAll(x => x.Prefix == r.Prefix && (r.NextHop is null || x.NextHop == r.NextHop));
        }

        foreach (var r in AddRoutes.IsDefault ? [] : AddRoutes)
        {
            routes.RemoveAll(x => x.Key == r.Key);
            routes.Add(r);
        }

        return new DeviceConfig(
            Hostname ?? config.Hostname,
            Location ?? config.Location,
            Contact ?? config.Contact,
            NtpServers ?? config.NtpServers,
            DnsServers ?? config.DnsServers,
            [.. interfaces.Values],
            [.. routes]).Canonical();
    }

    /// <summary>The patch that turns <paramref name="from"/> into <paramref name="to"/> (used to restore a version).</summary>
    public static ConfigPatch Between(DeviceConfig from, DeviceConfig to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var a = from.Canonical();
        var b = to.Canonical();
        var interfaces = ImmutableArray.CreateBuilder<InterfacePatch>();
        foreach (var target in b.Interfaces)
        {
            var current = a.Interface(target.Name);
            var p = new InterfacePatch(
                target.Name,
                current is null || current.Enabled != target.Enabled ? target.Enabled : null,
                current is null || current.Description != target.Description ? target.Description : null,
                current is null || current.Mtu != target.Mtu ? target.Mtu : null);
            if (!p.IsEmpty)
            {
                interfaces.Add(p);
            }
        }

        var remove = a.Routes.Where(r => !b.Routes.Contains(r)).Select(r => new RouteRef(r.Prefix, r.NextHop)).ToImmutableArray();
        var add = b.Routes.Where(r => !a.Routes.Contains(r)).ToImmutableArray();
        return new ConfigPatch(
            a.Hostname == b.Hostname ? null : b.Hostname,
            a.Location == b.Location ? null : b.Location,
            a.Contact == b.Contact ? null : b.Contact,
            a.NtpServers.SequenceEqual(b.NtpServers) ? null : b.NtpServers,
            a.DnsServers.SequenceEqual(b.DnsServers) ? null : b.DnsServers,
            interfaces.ToImmutable(),
            add,
            remove);
    }
}
