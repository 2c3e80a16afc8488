namespace Pdsno.Abstractions.Ids;

/// <summary>Validation shared by the typed keys: key parts are short, printable and contain no '/'.</summary>
public static class KeyPart
{
    /// <summary>The longest key part accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="what"/> when the part is unusable.</summary>
    public static string Validate(string? value, string what) =>
        Problem(value, what) is { } problem ? throw new ArgumentException(problem, what) : value!;

    /// <summary>Why the part is unusable, naming <paramref name="what"/>; null when it is fine.</summary>
    public static string? Problem(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{what} must not be empty";
        }

        if (value.Length > MaxLength)
        {
            return $"{what} '{value[..16]}...' is longer than {MaxLength} characters";
        }

        foreach (var c in value)
        {
            if (c == '/' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return $"{what} '{value}' contains '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4") : c.ToString())}', which is not allowed";
            }
        }

        return null;
    }
}
