using System.Net;
using System.Net.Sockets;
using Pdsno.Webhooks.Hosting;

namespace Pdsno.Webhooks.Delivery;

/// <summary>
/// Which addresses a webhook may reach. Checked on the address a URL resolves to, both when the webhook is created and
/// on every connection (the address actually connected to), so a name that later resolves to the silo itself is refused too.
/// </summary>
public sealed class AddressPolicy(bool allowLoopback, bool allowLinkLocal, bool allowPrivate)
{
    /// <summary>The policy of the given settings.</summary>
    public static AddressPolicy From(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.AllowLoopback, options.AllowLinkLocal, options.AllowPrivateNetworks);
    }

    /// <summary>Why <paramref name="address"/> may not be reached, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return $"{address} is not a host address";
        }

        if (IPAddress.IsLoopback(address) || IsIn(address, "0.0.0.0", 8))
        {
            return allowLoopback ? null : $"{address} is a loopback address (Webhooks:AllowLoopback allows it)";
        }

        if (address.IsIPv6LinkLocal || IsIn(address, "169.254.0.0", 16))
        {
            return allowLinkLocal ? null : $"{address} is a link-local address (Webhooks:AllowLinkLocal allows it)";
        }

        if (address.IsIPv6Multicast || IsIn(address, "224.0.0.0", 4))
        {
            return $"{address} is a multicast address";
        }

        var isPrivate = IsIn(address, "10.0.0.0", 8) || IsIn(address, "172.16.0.0", 12) || IsIn(address, "192.168.0.0", 16)
            || IsIn(address, "100.64.0.0", 10) || IsIn(address, "fc00::", 7);
        return isPrivate && !allowPrivate ? $"{address} is a private address (Webhooks:AllowPrivateNetworks allows it)" : null;
    }

    private static bool IsIn(IPAddress address, string network, int prefix)
    {
        var net = IPAddress.Parse(network);
        if (net.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = net.GetAddressBytes();
        for (var i = 0; i < a.Length && prefix > 0; i++, prefix -= 8)
        {
            var mask = prefix >= 8 ? 0xFF : (byte)(0xFF << (8 - prefix));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The form a webhook URL must have, before any address is looked at.</summary>
public static class WebhookUrl
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxLength = 2048;

    /// <summary>Why <paramref name="text"/> is not a usable webhook URL, or null with the parsed URL.</summary>
    public static string? Problem(string? text, out Uri? url)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "url is required";
        }

        if (text.Length > MaxLength)
        {
            return $"url is longer than {MaxLength} characters";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            return $"url '{text}' is not an absolute URL";
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return $"url must use http or https (got '{parsed.Scheme}')";
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            return "url must not carry a user name or password; the signature authenticates PDSNO to the receiver";
        }

        if (!string.IsNullOrEmpty(parsed.Fragment))
        {
            return "url must not have a fragment";
        }

        url = parsed;
        return null;
    }

    /// <summary>
    /// Why the host of <paramref name="url"/> may not be reached under <paramref name="policy"/>, or null. A name that does not
    /// resolve now is accepted (the receiver may not exist yet); every connection checks again.
    /// </summary>
    public static async Task<string?> AddressProblemAsync(Uri url, AddressPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(policy);
        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                // The resolver does not always honour cancellation: the wait is bounded on this side.
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                return null;
            }
        }

        return addresses.Select(policy.Refusal).FirstOrDefault(r => r is not null);
    }
}
