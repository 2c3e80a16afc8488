using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace Pdsno.Discovery.Simulation;

/// <summary>Parses GML (Graph Modelling Language) as written by the Topology Zoo toolset, NetworkX and yEd.</summary>
public static class GmlParser
{
    // Real files nest two or three levels; the cap turns hostile input into a format error, not a stack overflow.
    private const int MaxDepth = 64;

    /// <summary>Parses GML text; more than <paramref name="maxNodes"/> nodes throw <see cref="ImportLimitException"/>.</summary>
    public static GmlDocument Parse(string text, int maxNodes = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNodes, 0);
        var scanner = new Scanner(text, cancellationToken);
        var top = scanner.ParseList(openLine: 0, openColumn: 0, depth: 0);

        GmlEntry? graph = null;
        foreach (var item in top.Items)
        {
            if (string.Equals(item.Key, "graph", StringComparison.Ordinal))
            {
                graph = item;
                break;
            }
        }

        if (graph is null)
        {
            throw new GmlFormatException("no 'graph [ ... ]' list found", 1, 1);
        }

        if (graph.Value is not GmlList graphList)
        {
            throw new GmlFormatException("'graph' must be followed by '[', not a value", graph.Line, graph.Column);
        }

        return BuildDocument(graphList, maxNodes, cancellationToken);
    }

    private static GmlDocument BuildDocument(GmlList graph, int maxNodes, CancellationToken cancellationToken)
    {
        var attributes = ImmutableArray.CreateBuilder<GmlEntry>();
        var nodes = ImmutableArray.CreateBuilder<GmlNode>();
        var edgeItems = new List<GmlEntry>();
        var nodeLines = new Dictionary<long, int>();

        foreach (var item in graph.Items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (item.Key)
            {
                case "node":
                    if (nodes.Count == maxNodes)
                    {
                        throw new ImportLimitException($"the graph has more than {maxNodes} nodes (line {item.Line})");
                    }

                    var node = ToNode(item);
                    if (!nodeLines.TryAdd(node.Id, node.Line))
                    {
                        var id = node.Attributes.Find("id")!;
                        throw new GmlFormatException(
                            $"node id {node.Id} is already used by the node at line {nodeLines[node.Id]}", id.Line, id.Column);
                    }

                    nodes.Add(node);
                    break;
                case "edge":
                    edgeItems.Add(item);
                    break;
                default:
                    attributes.Add(item);
                    break;
            }
        }

        // GML allows edges before the nodes they join, so endpoints are resolved once every node is known.
        var edges = ImmutableArray.CreateBuilder<GmlEdge>(edgeItems.Count);
        foreach (var item in edgeItems)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = RequireList(item);
            var source = EdgeEnd(item, list, "source", nodeLines);
            var target = EdgeEnd(item, list, "target", nodeLines);
            edges.Add(new GmlEdge(source, target, list, item.Line));
        }

        return new GmlDocument(new GmlList(attributes.ToImmutable()), nodes.ToImmutable(), edges.MoveToImmutable());
    }

    private static GmlNode ToNode(GmlEntry item)
    {
        var list = RequireList(item);
        GmlEntry? idAttribute = null;
        foreach (var attribute in list.Items)
        {
            if (!string.Equals(attribute.Key, "id", StringComparison.Ordinal))
            {
                continue;
            }

            if (idAttribute is not null)
            {
                throw new GmlFormatException(
                    $"node has a second id (the first is at line {idAttribute.Line})", attribute.Line, attribute.Column);
            }

            idAttribute = attribute;
        }

        if (idAttribute is null)
        {
            throw new GmlFormatException("node has no id", item.Line, item.Column);
        }

        if (idAttribute.Value is not long id)
        {
            throw new GmlFormatException($"node id {Show(idAttribute.Value)} is not an integer", idAttribute.Line, idAttribute.Column);
        }

        return new GmlNode(id, list.GetString("label"), list, item.Line);
    }

    private static long EdgeEnd(GmlEntry edge, GmlList list, string key, Dictionary<long, int> nodeLines)
    {
        var end = list.Find(key) ?? throw new GmlFormatException($"edge has no {key}", edge.Line, edge.Column);
        if (end.Value is not long id)
        {
            throw new GmlFormatException($"edge {key} {Show(end.Value)} is not an integer node id", end.Line, end.Column);
        }

        if (!nodeLines.ContainsKey(id))
        {
            throw new GmlFormatException($"edge {key} {id} is not a node", end.Line, end.Column);
        }

        return id;
    }

    private static GmlList RequireList(GmlEntry item) =>
        item.Value as GmlList
        ?? throw new GmlFormatException($"'{item.Key}' must be followed by '[', not {Show(item.Value)}", item.Line, item.Column);

    private static string Show(object value) => value switch
    {
        string text => $"\"{text}\"",
        GmlList => "a list",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private sealed class Scanner(string text, CancellationToken cancellationToken)
    {
        private readonly string _text = text;
        private readonly CancellationToken _cancellationToken = cancellationToken;
        private int _position;
        private int _line = 1;
        private int _lineStart;

        private int Column => _position - _lineStart + 1;

        /// <summary>Parses key/value pairs up to the matching ']' (or end of text when <paramref name="depth"/> is 0).</summary>
        public GmlList ParseList(int openLine, int openColumn, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new GmlFormatException($"lists nested deeper than {MaxDepth} levels", openLine, openColumn);
            }

            var items = ImmutableArray.CreateBuilder<GmlEntry>();
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                SkipWhitespaceAndComments();
                if (_position >= _text.Length)
                {
                    if (depth > 0)
                    {
                        throw new GmlFormatException("'[' opened here is never closed", openLine, openColumn);
                    }

                    return new GmlList(items.ToImmutable());
                }

                var c = _text[_position];
                if (c == ']')
                {
                    if (depth == 0)
                    {
                        throw new GmlFormatException("']' without a matching '['", _line, Column);
                    }

                    _position++;
                    return new GmlList(items.ToImmutable());
                }

                if (!IsKeyStart(c))
                {
                    throw new GmlFormatException($"expected a key, found {Describe(c)}", _line, Column);
                }

                var keyLine = _line;
                var keyColumn = Column;
                var keyStart = _position;
                while (_position < _text.Length && IsKeyPart(_text[_position]))
                {
                    _position++;
                }

                var key = _text[keyStart.._position];
                SkipWhitespaceAndComments();
                items.Add(new GmlEntry(key, ParseValue(key, keyLine, keyColumn, depth), keyLine, keyColumn));
            }
        }

        private object ParseValue(string key, int keyLine, int keyColumn, int depth)
        {
            if (_position >= _text.Length)
            {
                throw new GmlFormatException($"key '{key}' has no value", keyLine, keyColumn);
            }

            var c = _text[_position];
            if (c == '"')
            {
                return ParseString();
            }

            if (c == '[')
            {
                var openLine = _line;
                var openColumn = Column;
                _position++;
                return ParseList(openLine, openColumn, depth + 1);
            }

            if (char.IsAsciiDigit(c) || c is '-' or '+' or '.')
            {
                return ParseNumber();
            }

            if (c == ']' || IsKeyStart(c))
            {
                throw new GmlFormatException($"key '{key}' has no value", keyLine, keyColumn);
            }

            throw new GmlFormatException($"key '{key}' is followed by {Describe(c)}, not a value", _line, Column);
        }

        private string ParseString()
        {
            var openLine = _line;
            var openColumn = Column;
            var start = ++_position;
            while (_position < _text.Length && _text[_position] != '"')
            {
                if (_text[_position] == '\n')
                {
                    _line++;
                    _lineStart = _position + 1;
                }

                _position++;
            }

            if (_position >= _text.Length)
            {
                throw new GmlFormatException("string is not terminated", openLine, openColumn);
            }

            var value = _text[start.._position];
            _position++;

            // GML has no escape sequences; quotes and ampersands are written as HTML entities (&quot;, &amp;).
            return value.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(value) : value;
        }

        private object ParseNumber()
        {
            var line = _line;
            var column = Column;
            var start = _position;
            var isReal = false;
            if (_text[_position] is '-' or '+')
            {
                _position++;
            }

            while (_position < _text.Length)
            {
                var c = _text[_position];
                if (char.IsAsciiDigit(c))
                {
                    _position++;
                }
                else if (c == '.' || c is 'e' or 'E')
                {
                    isReal = true;
                    _position++;
                    if (c is 'e' or 'E' && _position < _text.Length && _text[_position] is '-' or '+')
                    {
                        _position++;
                    }
                }
                else
                {
                    break;
                }
            }

            var token = _text[start.._position];
            if (_position < _text.Length && !char.IsWhiteSpace(_text[_position]) && _text[_position] is not ']' and not '#')
            {
                throw new GmlFormatException($"malformed number '{token}{_text[_position]}'", line, column);
            }

            if (!isReal && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return integer;
            }

            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            {
                return real;
            }

            throw new GmlFormatException($"malformed number '{token}'", line, column);
        }

        private void SkipWhitespaceAndComments()
        {
            while (_position < _text.Length)
            {
                var c = _text[_position];
                if (c == '\n')
                {
                    _position++;
                    _line++;
                    _lineStart = _position;
                }
                else if (char.IsWhiteSpace(c))
                {
                    _position++;
                }
                else if (c == '#')
                {
                    while (_position < _text.Length && _text[_position] != '\n')
                    {
                        _position++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        private static bool IsKeyStart(char c) => char.IsAsciiLetter(c) || c == '_';

        private static bool IsKeyPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

        private static string Describe(char c) => char.IsControl(c) ? $"character U+{(int)c:X4}" : $"'{c}'";
    }
}
