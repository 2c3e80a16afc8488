using System.Text;
using System.Text.RegularExpressions;

namespace Pdsno.IntegrationTests.Api;

/// <summary>One runnable example of the README: a curl command or a GraphQL document, with the line it starts on.</summary>
internal abstract record ReadmeExample(int Line)
{
    public abstract string Describe();
}

/// <summary>A curl command against the documented address, with variables expanded as the shell would.</summary>
internal sealed record CurlExample(int Line, string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, string? Body) : ReadmeExample(Line)
{
    public override string Describe() => $"line {Line}: curl -X {Method} {Url}";
}

/// <summary>A GraphQL document: a ```graphql block or an inline <c>`mutation { ... }`</c> span.</summary>
internal sealed record GraphQLExample(int Line, string Document) : ReadmeExample(Line)
{
    public bool IsSubscription => Document.TrimStart().StartsWith("subscription", StringComparison.Ordinal);

    public override string Describe() => $"line {Line}: {Document.Trim()}";
}

/// <summary>
/// Finds the examples of a README. The rules, so nothing is skipped silently:
/// <list type="bullet">
/// <item>```graphql blocks are GraphQL documents.</item>
/// <item>In ```sh blocks, a command whose program is <c>curl</c> is an example. A command made only of assignments
/// (<c>auth="..."</c>) defines shell variables for the commands after it. Every other command (start.sh, lab.sh,
/// export, test and bench scripts, a second silo) sets up or starts a process outside the API and is not run.</item>
/// <item>Outside blocks, an inline code span that is a whole operation (<c>mutation {...}</c>, <c>query {...}</c>,
/// <c>subscription {...}</c>) is a GraphQL document; fragments of syntax such as <c>device(id)</c> are prose.</item>
/// <item>Other blocks (output, plain text) are not examples.</item>
/// </list>
/// A curl command this reader does not understand (an unknown option, an unknown variable, another address) is an
/// error, not a skip.
/// </summary>
internal static partial class ReadmeExamples
{
    /// <summary>The address every README example talks to.</summary>
    public const string DocumentedBase = "http://127.0.0.1:8080";

    public static IReadOnlyList<ReadmeExample> Parse(string markdown, IReadOnlyDictionary<string, string> variables)
    {
        var examples = new List<ReadmeExample>();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var shell = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                examples.AddRange(InlineOperations(lines[i]).Select(d => new GraphQLExample(i + 1, d)));
                continue;
            }

            var language = lines[i][3..].Trim();
            var start = i + 2; // the first line inside the block, counted from 1
            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Append(lines[i]).Append('\n');
            }

            if (language == "graphql")
            {
                examples.Add(new GraphQLExample(start, body.ToString()));
            }
            else if (language == "sh")
            {
                examples.AddRange(ShellExamples(body.ToString(), start, shell));
            }
        }

        return examples;
    }

    private static IEnumerable<string> InlineOperations(string line) =>
        InlineCode().Matches(line).Select(m => m.Groups[1].Value).Where(code => Operation().IsMatch(code));

    private static List<ReadmeExample> ShellExamples(string script, int firstLine, Dictionary<string, string> variables)
    {
        var examples = new List<ReadmeExample>();
        foreach (var (line, words) in Commands(script, firstLine, variables))
        {
            var assignments = words.TakeWhile(w => Assignment().IsMatch(w)).ToList();
            if (assignments.Count == words.Count)
            {
                foreach (var a in assignments)
                {
                    var eq = a.IndexOf('=', StringComparison.Ordinal);
                    variables[a[..eq]] = a[(eq + 1)..];
                }

                continue;
            }

            if (words[assignments.Count] == "curl")
            {
                examples.Add(Curl(line, [.. words.Skip(assignments.Count + 1)]));
            }
        }

        return examples;
    }

    private static CurlExample Curl(int line, List<string> args)
    {
        string? method = null;
        string? url = null;
        string? body = null;
        var headers = new List<(string, string)>();
        if (args.FirstOrDefault(a => a.Contains(Unknown, StringComparison.Ordinal)) is { } unset)
        {
            throw new FormatException($"README line {line}: curl uses a variable that is not set: {unset.Replace(Unknown, "$", StringComparison.Ordinal)}");
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-s" or "--silent":
                    break;
                case "-X" or "--request":
                    method = args[++i];
                    break;
                case "-H" or "--header":
                    var header = args[++i];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        throw new FormatException($"README line {line}: '{header}' is not a header");
                    }

                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "-d" or "--data" or "--data-raw":
                    body = args[++i];
                    break;
                default:
                    if (!arg.StartsWith("http", StringComparison.Ordinal) || url is not null)
                    {
                        throw new FormatException($"README line {line}: curl argument '{arg}' is not understood by this test; teach it or change the example");
                    }

                    if (!arg.StartsWith(DocumentedBase + "/", StringComparison.Ordinal))
                    {
                        throw new FormatException($"README line {line}: curl talks to {arg}, not to {DocumentedBase}");
                    }

                    url = arg;
                    break;
            }
        }

        return new CurlExample(
            line,
            method ?? (body is null ? "GET" : "POST"),
            url ?? throw new FormatException($"README line {line}: curl without an address"),
            headers,
            body);
    }

    private const string Unknown = "\u0000";

    /// <summary>
    /// Splits a shell script into commands of words as POSIX sh does for the subset the README uses: single quotes
    /// keep everything, double quotes expand <c>$NAME</c>, a backslash before a newline continues the line, an
    /// unquoted newline or <c>;</c> ends a command and <c>#</c> at a word's start begins a comment. Commands come
    /// one at a time, so a variable assigned by one is expanded in the next.
    /// </summary>
    private static IEnumerable<(int Line, List<string> Words)> Commands(string script, int firstLine, Dictionary<string, string> variables)
    {
        var commands = new List<(int, List<string>)>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var line = firstLine;
        var commandLine = firstLine;

        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
            }

            word.Clear();
            inWord = false;
        }

        void EndCommand()
        {
            EndWord();
            if (words.Count > 0)
            {
                commands.Add((commandLine, words));
            }

            words = [];
            commandLine = line;
        }

        for (var i = 0; i < script.Length; i++)
        {
            foreach (var command in commands)
            {
                yield return command;
            }

            commands.Clear();
            var c = script[i];
            switch (c)
            {
                case '\\' when i + 1 < script.Length && script[i + 1] == '\n':
                    i++;
                    line++;
                    break;
                case '\\' when i + 1 < script.Length:
                    word.Append(script[++i]);
                    inWord = true;
                    break;
                case '\'':
                    var close = script.IndexOf('\'', i + 1);
                    var single = script[(i + 1)..close];
                    line += single.Count(ch => ch == '\n');
                    word.Append(single);
                    inWord = true;
                    i = close;
                    break;
                case '"':
                    var end = i + 1;
                    while (script[end] != '"')
                    {
                        end += script[end] == '\\' ? 2 : 1;
                    }

                    var inner = script[(i + 1)..end];
                    line += inner.Count(ch => ch == '\n');
                    word.Append(Expand(Regex.Replace(inner, @"\\([""\\$`])", "$1"), variables));
                    inWord = true;
                    i = end;
                    break;
                case '#' when !inWord:
                    while (i + 1 < script.Length && script[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '\n':
                    EndCommand();
                    line++;
                    commandLine = line;
                    break;
                case ';':
                    EndCommand();
                    break;
                case ' ' or '\t':
                    EndWord();
                    break;
                case '$':
                    var name = VariableName().Match(script, i + 1);
                    word.Append(name.Success ? Expand("$" + name.Value, variables) : "$");
                    i += name.Success ? name.Length : 0;
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        EndCommand();
        foreach (var command in commands)
        {
            yield return command;
        }
    }

    private static string Expand(string text, Dictionary<string, string> variables) =>
        Variable().Replace(text, m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return variables.TryGetValue(name, out var value) ? value : Unknown + name;
        });

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^(mutation|query|subscription)\b[^{]*\{.*\}$")]
    private static partial Regex Operation();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\G[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();
}
