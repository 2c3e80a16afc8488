namespace Pdsno.Abstractions.Ids;

/// <summary>Validation shared by the typed keys: key parts are short, printable and contain no '/'.</summary>
public static class KeyPart
{
    /// <summary>The longest key part accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="what"/> when the part is unusable.</summary>
    public static string Validate(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{what} must not be empty", what);
        }

        if (value.Length > MaxLength)
        {
            throw new ArgumentException($"{what} '{value[..16]}...' is longer than {MaxLength} characters", what);
        }

        foreach (var c in value)
        {
            if (c == '/' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"{what} '{value}' contains '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4") : c.ToString())}', which is not allowed", what);
            }
        }

        return value;
    }
}
