using System.Text.RegularExpressions;

namespace Pdsno.Discovery.Snmp.Discovery;

/// <summary>Vendor, model and operating system guessed from sysObjectID and sysDescr.</summary>
public sealed record DeviceIdentity(string Vendor, string Model, string OsVersion)
{
    private static readonly Oid Enterprises = Oid.Parse("1.3.6.1.4.1");

    // IANA private enterprise numbers of the vendors operators meet most.
    private static readonly Dictionary<uint, string> Vendors = new()
    {
        [9] = "Cisco",
        [11] = "HPE",
        [311] = "Microsoft",
        [674] = "Dell",
        [1916] = "Extreme",
        [1991] = "Brocade",
        [2011] = "Huawei",
        [2636] = "Juniper",
        [3076] = "Cisco",
        [4526] = "Netgear",
        [6486] = "Alcatel-Lucent",
        [6527] = "Nokia",
        [8072] = "net-snmp",
        [12356] = "Fortinet",
        [14988] = "MikroTik",
        [25461] = "Palo Alto Networks",
        [25506] = "H3C",
        [30065] = "Arista",
        [41112] = "Ubiquiti",
    };

    // sysDescr words that name a vendor when the enterprise number is unknown or generic.
    private static readonly (string Word, string Vendor)[] DescrVendors =
    [
        ("Cisco", "Cisco"), ("Juniper", "Juniper"), ("JUNOS", "Juniper"), ("Arista", "Arista"), ("Nokia", "Nokia"),
        ("TiMOS", "Nokia"), ("Huawei", "Huawei"), ("MikroTik", "MikroTik"), ("RouterOS", "MikroTik"), ("FortiGate", "Fortinet"),
    ];

    private static readonly (Regex Pattern, string Os)[] OsPatterns =
    [
        (new Regex(@"NX-OS.*?Version\s+([^\s,]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "NX-OS"),
        (new Regex(@"IOS[ -]XE.*?Version\s+([^\s,]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "IOS-XE"),
        (new Regex(@"IOS[ -]XR.*?Version\s+([^\s,\[]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "IOS-XR"),
        (new Regex(@"\bIOS\b.*?Version\s+([^\s,]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "IOS"),
        (new Regex(@"JUNOS\s+([^\s,\]]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "Junos"),
        (new Regex(@"EOS\s+version\s+([^\s,]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "EOS"),
        (new Regex(@"TiMOS-[A-Z]-([^\s,]+)", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "SR OS"),
        (new Regex(@"RouterOS\s+([^\s,]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "RouterOS"),
        (new Regex(@"\bLinux\b(?:\s+[^\s,]+)??\s+(\d+\.\d+[^\s,]*)", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)), "Linux"),
    ];

    /// <summary>The best guess for an agent's sysObjectID (absent when the agent gave none) and sysDescr.</summary>
    public static DeviceIdentity Guess(Oid? sysObjectId, string sysDescr)
    {
        sysDescr ??= "";
        var vendor = "unknown";
        if (sysObjectId is { } oid && oid.Length > Enterprises.Length && Enterprises.IsPrefixOf(oid)
            && Vendors.TryGetValue(oid[Enterprises.Length], out var known))
        {
            vendor = known;
        }

        // net-snmp's sysObjectID says only that net-snmp answers; sysDescr may name the box it runs on.
        if (vendor is "unknown" or "net-snmp")
        {
            foreach (var (word, name) in DescrVendors)
            {
                if (sysDescr.Contains(word, StringComparison.OrdinalIgnoreCase))
                {
                    vendor = name;
                    break;
                }
            }
        }

        var os = "unknown";
        foreach (var (pattern, name) in OsPatterns)
        {
            Match match;
            try
            {
                match = pattern.Match(sysDescr);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                os = $"{name} {match.Groups[1].Value}";
                break;
            }
        }

        if (os == "unknown" && vendor == "net-snmp")
        {
            os = "Linux";
        }

        var model = sysObjectId is { IsEmpty: false } id ? id.ToString() : "unknown";
        return new DeviceIdentity(vendor, model, os);
    }
}
