using System.Collections.Immutable;
using System.Globalization;

namespace Pdsno.Discovery.Simulation;

/// <summary>A parsed GML graph: its own attributes, its nodes and its edges, in file order.</summary>
public sealed class GmlDocument(GmlList graphAttributes, ImmutableArray<GmlNode> nodes, ImmutableArray<GmlEdge> edges)
{
    /// <summary>The graph's attributes other than its <c>node</c> and <c>edge</c> entries.</summary>
    public GmlList GraphAttributes { get; } = graphAttributes;

    public ImmutableArray<GmlNode> Nodes { get; } = nodes;

    public ImmutableArray<GmlEdge> Edges { get; } = edges;
}

/// <summary>A GML node with its integer id, its label if any, and the line of its <c>node [</c>.</summary>
public sealed record GmlNode(long Id, string? Label, GmlList Attributes, int Line);

/// <summary>A GML edge between two node ids, with the line of its <c>edge [</c>.</summary>
public sealed record GmlEdge(long Source, long Target, GmlList Attributes, int Line);

/// <summary>One GML key/value pair; <see cref="Value"/> is a <see cref="string"/>, <see cref="long"/>, <see cref="double"/> or <see cref="GmlList"/>.</summary>
public sealed record GmlEntry(string Key, object Value, int Line, int Column);

/// <summary>An ordered GML list of key/value pairs, in which a key may repeat.</summary>
public sealed class GmlList(ImmutableArray<GmlEntry> items)
{
    public static GmlList Empty { get; } = new([]);

    public ImmutableArray<GmlEntry> Items { get; } = items;

    /// <summary>The first attribute with this key (ordinal, case-sensitive, as GML keys are), or null.</summary>
    public GmlEntry? Find(string key)
    {
        foreach (var item in Items)
        {
            if (string.Equals(item.Key, key, StringComparison.Ordinal))
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>The value of the first attribute with this key as text, numbers formatted invariantly; null if absent or a list.</summary>
    public string? GetString(string key) => Find(key)?.Value switch
    {
        string text => text,
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        double real => real.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The value of the first attribute with this key as a number, also when written as a numeric string.</summary>
    public double? GetNumber(string key) => Find(key)?.Value switch
    {
        long integer => integer,
        double real => real,
        string text when double.TryParse(
            text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
