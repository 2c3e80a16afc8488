using System.Text;
using Pdsno.GraphQL.Errors;

namespace Pdsno.GraphQL.Relay;

/// <summary>
/// Relay global ids: opaque base64 of <c>Type:key</c>. The tenant is never part of an id; every lookup is scoped by
/// the caller's tenant, so another tenant's id simply finds nothing.
/// </summary>
public static class GlobalId
{
    /// <summary>The type name of regions.</summary>
    public const string Region = "Region";

    /// <summary>The type name of devices.</summary>
    public const string Device = "Device";

    /// <summary>The type name of interfaces (key <c>device/name</c>).</summary>
    public const string Interface = "Interface";

    /// <summary>The type name of links.</summary>
    public const string Link = "Link";

    /// <summary>The type name of governed changes.</summary>
    public const string Change = "Change";

    /// <summary>The type name of intents.</summary>
    public const string Intent = "Intent";

    private static readonly string[] Types = [Region, Device, Interface, Link, Change, Intent];

    /// <summary>The global id of the object of <paramref name="type"/> with <paramref name="key"/>.</summary>
    public static string Encode(string type, string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(type + ":" + key));

    /// <summary>Splits a global id into type and key; false when it is not one.</summary>
    public static bool TryDecode(string? id, out string type, out string key)
    {
        type = key = "";
        if (string.IsNullOrEmpty(id) || id.Length % 4 != 0)
        {
            return false;
        }

        var bytes = new byte[id.Length];
        if (!Convert.TryFromBase64String(id, bytes, out var length))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || !Types.Contains(text[..colon]))
        {
            return false;
        }

        type = text[..colon];
        key = text[(colon + 1)..];
        return true;
    }

    /// <summary>
    /// The key an id argument names for <paramref name="expectedType"/>: a global id of that type, or else the plain key
    /// itself (so <c>device(id: "c026270000000")</c> works too). A global id of another type is <c>BAD_USER_INPUT</c>.
    /// </summary>
    public static string KeyOf(string id, string expectedType, string argument = "id")
    {
        ArgumentNullException.ThrowIfNull(id);
        if (TryDecode(id, out var type, out var key))
        {
            return type == expectedType
                ? key
                : throw PdsnoError.BadUserInput($"{argument} '{id}' is the id of a {type}, not of a {expectedType}");
        }

        return id;
    }
}
