using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pdsno.Abstractions.Config;

/// <summary>One interface's configuration: admin state, description (ifAlias) and MTU.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.interface-config")]
public sealed record InterfaceConfig(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] string Description,
    [property: Id(3)] int Mtu);

/// <summary>A static route: destination prefix, next hop, optional outgoing interface and metric.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.static-route")]
public sealed record StaticRoute(
    [property: Id(0)] string Prefix,
    [property: Id(1)] string NextHop,
    [property: Id(2)] string? Interface = null,
    [property: Id(3)] int Metric = 0)
{
    /// <summary>What identifies a route on a device: its prefix and next hop.</summary>
    public (string Prefix, string NextHop) Key => (Prefix, NextHop);
}

/// <summary>Which parts of a configuration a driver reads; drift is judged only on what was read.</summary>
[Flags]
public enum ConfigSections
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Hostname, location, contact.</summary>
    System = 1,

    /// <summary>NTP and DNS servers.</summary>
    Services = 2,

    /// <summary>Interface admin state, description and MTU.</summary>
    Interfaces = 4,

    /// <summary>Static routes.</summary>
    Routes = 8,

    /// <summary>Everything.</summary>
    All = System | Services | Interfaces | Routes,
}

/// <summary>
/// The one typed configuration model every config driver reads and applies. Lists are compared as sets in a
/// canonical order (<see cref="Canonical"/>): two configs are the same when their canonical forms are.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.device-config")]
public sealed record DeviceConfig(
    [property: Id(0)] string Hostname,
    [property: Id(1)] string Location,
    [property: Id(2)] string Contact,
    [property: Id(3)] ImmutableArray<string> NtpServers,
    [property: Id(4)] ImmutableArray<string> DnsServers,
    [property: Id(5)] ImmutableArray<InterfaceConfig> Interfaces,
    [property: Id(6)] ImmutableArray<StaticRoute> Routes)
{
    /// <summary>The default MTU of an interface nobody configured.</summary>
    public const int DefaultMtu = 1500;

    /// <summary>The smallest MTU accepted (IPv4 minimum datagram).</summary>
    public const int MinMtu = 68;

    /// <summary>The largest MTU accepted (jumbo frames).</summary>
    public const int MaxMtu = 9216;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    // A config never changes once built (Orleans passes it between grains of one silo as is), so what is derived from
    // one instance is kept beside it: its canonical form, and the hash a plan, a token and a device each ask for. A
    // core device of hundreds of routes paid a sort and a serialization for every question.
    private static readonly ConditionalWeakTable<DeviceConfig, DeviceConfig> CanonicalForms = new();
    private static readonly ConditionalWeakTable<DeviceConfig, string> Hashes = new();

    /// <summary>An empty config for a device of that name.</summary>
    public static DeviceConfig Empty(string hostname) => new(hostname, "", "", [], [], [], []);

    /// <summary>The interface named <paramref name="name"/>, or null.</summary>
    public InterfaceConfig? Interface(string name) => Interfaces.FirstOrDefault(i => i.Name == name);

    /// <summary>The same config with interfaces sorted by name, routes by prefix and next hop, servers de-duplicated in order.</summary>
    public DeviceConfig Canonical()
    {
        if (CanonicalForms.TryGetValue(this, out var known))
        {
            return known;
        }

        var canonical = this with
        {
            NtpServers = [.. Distinct(NtpServers)],
            DnsServers = [.. Distinct(DnsServers)],
            Interfaces = [.. (Interfaces.IsDefault ? [] : Interfaces).OrderBy(i => i.Name, StringComparer.Ordinal)],
            Routes = [.. (Routes.IsDefault ? [] : Routes).OrderBy(r => r.Prefix, StringComparer.Ordinal).ThenBy(r => r.NextHop, StringComparer.Ordinal)],
        };
        CanonicalForms.AddOrUpdate(canonical, canonical);
        CanonicalForms.AddOrUpdate(this, canonical);
        return canonical;
    }

    /// <summary>Lower-case hex SHA-256 of the canonical JSON form: what an execution token binds.</summary>
    public string Hash()
    {
        if (Hashes.TryGetValue(this, out var known))
        {
            return known;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));
        Hashes.AddOrUpdate(this, hash);
        return hash;
    }

    /// <summary>The canonical JSON form (stable member order).</summary>
    public string ToJson() => JsonSerializer.Serialize(Canonical(), Json);

    /// <summary>Parses <see cref="ToJson"/> output.</summary>
    public static DeviceConfig FromJson(string json) =>
        (JsonSerializer.Deserialize<DeviceConfig>(json, Json) ?? throw new FormatException("empty config")).Canonical();

    /// <summary>True when both canonical forms are equal (compared field by field: discovery asks this of every observation).</summary>
    public bool SameAs(DeviceConfig? other) =>
        other is not null && (ReferenceEquals(this, other) || CanonicalEquals(Canonical(), other.Canonical()));

    /// <summary>Whether two configs already in canonical form are equal.</summary>
    internal static bool CanonicalEquals(DeviceConfig a, DeviceConfig b) =>
        a.Hostname == b.Hostname && a.Location == b.Location && a.Contact == b.Contact
        && a.NtpServers.SequenceEqual(b.NtpServers) && a.DnsServers.SequenceEqual(b.DnsServers)
        && a.Interfaces.SequenceEqual(b.Interfaces) && a.Routes.SequenceEqual(b.Routes);

    /// <summary>Only the <paramref name="sections"/> of this config, the others emptied (to compare what a driver read).</summary>
    public DeviceConfig Only(ConfigSections sections) => new(
        sections.HasFlag(ConfigSections.System) ? Hostname : "",
        sections.HasFlag(ConfigSections.System) ? Location : "",
        sections.HasFlag(ConfigSections.System) ? Contact : "",
        sections.HasFlag(ConfigSections.Services) ? NtpServers : [],
        sections.HasFlag(ConfigSections.Services) ? DnsServers : [],
        sections.HasFlag(ConfigSections.Interfaces) ? Interfaces : [],
        sections.HasFlag(ConfigSections.Routes) ? Routes : []);

    private static IEnumerable<string> Distinct(ImmutableArray<string> values) =>
        (values.IsDefault ? [] : values).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal);
}
