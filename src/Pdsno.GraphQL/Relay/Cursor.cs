using System.Text;
using Pdsno.GraphQL.Errors;

namespace Pdsno.GraphQL.Relay;

/// <summary>Opaque keyset cursors: base64 of <c>cursor:list:key</c>, the sort key of a row, never an offset.</summary>
public static class Cursor
{
    /// <summary>Whether <paramref name="key"/> is an event sequence: the keys of the event list.</summary>
    public static bool IsSequence(string key) =>
        long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>The cursor of the row with <paramref name="key"/> in lists of <paramref name="list"/>.</summary>
    public static string Encode(string list, string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes("cursor:" + list + ":" + key));

    /// <summary>
    /// The row key in <paramref name="cursor"/>; <c>BAD_USER_INPUT</c> naming <paramref name="argument"/> when it is not
    /// a cursor of this list, or its key is not one <paramref name="isKey"/> accepts (a list keyed by numbers).
    /// </summary>
    public static string? Decode(string? cursor, string list, string argument, Func<string, bool>? isKey = null)
    {
        if (cursor is null)
        {
            return null;
        }

        var prefix = "cursor:" + list + ":";
        var bytes = new byte[cursor.Length];
        if (Convert.TryFromBase64String(cursor, bytes, out var length))
        {
            var text = Encoding.UTF8.GetString(bytes, 0, length);
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length > prefix.Length && (isKey is null || isKey(text[prefix.Length..])))
            {
                return text[prefix.Length..];
            }
        }

        throw PdsnoError.BadUserInput($"{argument} '{cursor}' is not a cursor of this list");
    }
}
