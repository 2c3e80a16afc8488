using System.Globalization;
using System.Text;

namespace Pdsno.Discovery.Snmp;

/// <summary>An SNMP object identifier: up to 128 unsigned 32-bit arcs, ordered lexicographically as agents order them.</summary>
public readonly struct Oid : IEquatable<Oid>, IComparable<Oid>, IComparable
{
    /// <summary>RFC 2578 caps an OID at 128 sub-identifiers; the decoder holds agents to it.</summary>
    public const int MaxLength = 128;

    private readonly uint[]? _arcs;

    public Oid(ReadOnlySpan<uint> arcs)
    {
        Validate(arcs);
        _arcs = arcs.ToArray();
    }

    // Takes ownership of an array the caller built and validated, so decoding allocates once.
    private Oid(uint[] arcs)
    {
        _arcs = arcs;
    }

    public int Length => _arcs?.Length ?? 0;

    public bool IsEmpty => Length == 0;

    public ReadOnlySpan<uint> Arcs => _arcs;

    public uint this[int index] => Arcs[index];

    public static Oid Parse(string text) =>
        TryParse(text, out var oid, out var problem) ? oid : throw new FormatException($"'{text}' is not an OID: {problem}");

    public static bool TryParse(string? text, out Oid oid) => TryParse(text, out oid, out _);

    public static bool operator ==(Oid left, Oid right) => left.Equals(right);

    public static bool operator !=(Oid left, Oid right) => !left.Equals(right);

    public static bool operator <(Oid left, Oid right) => left.CompareTo(right) < 0;

    public static bool operator <=(Oid left, Oid right) => left.CompareTo(right) <= 0;

    public static bool operator >(Oid left, Oid right) => left.CompareTo(right) > 0;

    public static bool operator >=(Oid left, Oid right) => left.CompareTo(right) >= 0;

    /// <summary>True when this OID equals <paramref name="other"/> or is an ancestor of it.</summary>
    public bool IsPrefixOf(Oid other) => other.Arcs.StartsWith(Arcs);

    /// <summary>True when <paramref name="prefix"/> equals this OID or is an ancestor of it.</summary>
    public bool StartsWith(Oid prefix) => Arcs.StartsWith(prefix.Arcs);

    public Oid Append(uint arc) => Append([arc]);

    /// <summary>The OID with table index arcs appended, e.g. ifDescr + ifIndex.</summary>
    public Oid Append(ReadOnlySpan<uint> arcs)
    {
        var result = new uint[Length + arcs.Length];
        Arcs.CopyTo(result);
        arcs.CopyTo(result.AsSpan(Length));
        Validate(result);
        return FromOwnedArray(result);
    }

    public bool Equals(Oid other) => Arcs.SequenceEqual(other.Arcs);

    public override bool Equals(object? obj) => obj is Oid other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var arc in Arcs)
        {
            hash.Add(arc);
        }

        return hash.ToHashCode();
    }

    public int CompareTo(Oid other) => Arcs.SequenceCompareTo(other.Arcs);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Oid other => CompareTo(other),
        _ => throw new ArgumentException("Not an OID", nameof(obj)),
    };

    public override string ToString()
    {
        if (Length == 0)
        {
            return "";
        }

        var text = new StringBuilder(Length * 4);
        foreach (var arc in Arcs)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(arc);
        }

        return text.ToString();
    }

    internal static Oid FromOwnedArray(uint[] arcs) => new(arcs);

    private static bool TryParse(string? text, out Oid oid, out string problem)
    {
        oid = default;
        var span = text.AsSpan().Trim();

        // net-snmp prints OIDs with a leading dot; accept what operators copy from snmpwalk.
        if (span.StartsWith('.'))
        {
            span = span[1..];
        }

        if (span.IsEmpty)
        {
            problem = "it is empty";
            return false;
        }

        var arcs = new List<uint>();
        foreach (var range in span.Split('.'))
        {
            if (!uint.TryParse(span[range], NumberStyles.None, CultureInfo.InvariantCulture, out var arc))
            {
                problem = $"'{span[range]}' is not an arc between 0 and {uint.MaxValue}";
                return false;
            }

            arcs.Add(arc);
        }

        var array = arcs.ToArray();
        if (ValidationProblem(array) is { } invalid)
        {
            problem = invalid;
            return false;
        }

        oid = FromOwnedArray(array);
        problem = "";
        return true;
    }

    private static void Validate(ReadOnlySpan<uint> arcs)
    {
        if (ValidationProblem(arcs) is { } problem)
        {
            throw new ArgumentException(problem, nameof(arcs));
        }
    }

    // The first two arcs share one encoded sub-identifier (40 * first + second), which constrains them.
    private static string? ValidationProblem(ReadOnlySpan<uint> arcs)
    {
        if (arcs.Length > MaxLength)
        {
            return $"it has {arcs.Length} arcs, more than {MaxLength}";
        }

        if (arcs.Length >= 1 && arcs[0] > 2)
        {
            return "the first arc must be 0, 1 or 2";
        }

        if (arcs.Length >= 2 && arcs[0] < 2 && arcs[1] >= 40)
        {
            return "under arcs 0 and 1 the second arc must be below 40";
        }

        if (arcs.Length >= 2 && arcs[0] == 2 && arcs[1] > uint.MaxValue - 80)
        {
            return "the second arc under 2 is too large to encode";
        }

        return null;
    }
}
