using System.Globalization;
using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Mutations;

namespace Pdsno.GraphQL.Audit;

/// <summary>
/// Writes one audit record per root field of every mutation operation, over HTTP and WebSocket alike, before the
/// answer leaves: the caller, the field's name, the ids it named, and its outcome (<c>ok</c>, the code of the
/// payload's first error, or of the GraphQL error at that field, or of the refusal that stopped the document before
/// it ran, such as <c>FORBIDDEN</c>). It sits around execution, so a new mutation field is recorded without code of its own.
/// </summary>
public sealed partial class MutationAudit(IAuditChain chain, ILogger<MutationAudit> logger) : IConfigureExecution
{
    /// <summary>Outermost, so refusals by the other execution steps are recorded too.</summary>
    public float SortOrder => 40;

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        var result = await next(options);
        if (options.UserContext is not PdsnoUserContext { Caller: { Tenant.Length: > 0 } caller })
        {
            return result;
        }

        var (document, operation) = result.Document is { } d && result.Operation is { } o ? (d, o) : Parse(options);
        if (operation?.Operation != OperationType.Mutation || document is null)
        {
            return result;
        }

        var records = Records(caller, document, operation, options.Variables, result);
        if (records.Count == 0)
        {
            return result;
        }

        try
        {
            // Not the request's token: the mutation has run, so its record is written even if the client has gone.
            await chain.AppendAsync(records, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotRecorded(logger, ex, records.Count, caller.Tenant);
            result.AddError(new ExecutionError("the operation ran but its audit record could not be written; the database is unavailable") { Code = ErrorCodes.Unavailable });
        }

        return result;
    }

    /// <summary>The records of a mutation's root fields, in document order.</summary>
    internal static List<AuditRecordDraft> Records(Caller caller, GraphQLDocument document, GraphQLOperationDefinition operation, Inputs? variables, ExecutionResult result)
    {
        var executed = result.Executed && result.Data is ObjectExecutionNode { SubFields: { } subFields }
            ? subFields.Where(n => n is not null).ToDictionary(n => n.Name!, StringComparer.Ordinal)
            : null;
        var records = new List<AuditRecordDraft>();
        foreach (var field in RootFields(document, operation.SelectionSet, []))
        {
            var name = field.Name.StringValue;
            var key = field.Alias?.Name.StringValue ?? name;
            string outcome;
            if (ErrorAt(result, key) is { } error)
            {
                outcome = error;
            }
            else if (executed is not null)
            {
                if (!executed.TryGetValue(key, out var node))
                {
                    continue; // skipped by @skip/@include: it did not run
                }

                outcome = node.Result is ICommandResult { Errors: [var first, ..] } ? CodeOf(first.Code) : AuditRecordDraft.Ok;
            }
            else
            {
                outcome = Refusal(result, name);
            }

            records.Add(new AuditRecordDraft(caller.Tenant, caller.Actor, name, AuditTarget.Of(field.Arguments, variables), outcome));
        }

        return records;
    }

    private static IEnumerable<GraphQLField> RootFields(GraphQLDocument document, GraphQLSelectionSet selectionSet, HashSet<string> visited)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    yield return field;
                    break;
                case GraphQLInlineFragment inline:
                    foreach (var f in RootFields(document, inline.SelectionSet, visited))
                    {
                        yield return f;
                    }

                    break;
                case GraphQLFragmentSpread spread when visited.Add(spread.FragmentName.Name.StringValue):
                    var fragment = document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name.StringValue == spread.FragmentName.Name.StringValue);
                    if (fragment is not null)
                    {
                        foreach (var f in RootFields(document, fragment.SelectionSet, visited))
                        {
                            yield return f;
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The code of the error raised by the root field's own resolver. An error deeper in its selection came after
    /// the mutation ran; the payload says how that went.
    /// </summary>
    private static string? ErrorAt(ExecutionResult result, string key) =>
        result.Errors?.FirstOrDefault(e => e.Path?.ToList() is [string only] && only == key) is { } error ? error.Code ?? "ERROR" : null;

    /// <summary>Why a document that did not run was refused: the refusal naming this field, else the first.</summary>
    private static string Refusal(ExecutionResult result, string field)
    {
        var errors = result.Errors ?? [];
        var named = errors.FirstOrDefault(e => e.Message.Contains($"'{field}'", StringComparison.Ordinal));
        return (named ?? errors.FirstOrDefault())?.Code ?? "NOT_EXECUTED";
    }

    /// <summary>A payload error's code as the schema spells it (<c>BadUserInput</c> -> <c>BAD_USER_INPUT</c>).</summary>
    internal static string CodeOf(UserErrorCode code)
    {
        var name = code.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }

    private static (GraphQLDocument?, GraphQLOperationDefinition?) Parse(ExecutionOptions options)
    {
        GraphQLDocument? document = options.Document;
        if (document is null && options.Query is { Length: > 0 } query)
        {
            try
            {
                document = GraphQLParser.Parser.Parse(query);
            }
            catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException)
            {
                return (null, null);
            }
        }

        var operations = document?.Definitions.OfType<GraphQLOperationDefinition>().ToList() ?? [];
        var operation = options.OperationName is { } wanted
            ? operations.FirstOrDefault(o => o.Name?.StringValue == wanted)
            : operations.Count == 1 ? operations[0] : null;
        return (document, operation);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit: {Count} records of tenant {Tenant} could not be written")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, int count, string tenant);
}

/// <summary>What an operation acted on, for the audit trail: the id and key arguments it was given, never a secret.</summary>
internal static class AuditTarget
{
    private const int MaxValues = 50;

    /// <summary>
    /// The arguments named <c>id</c>, <c>…Id</c> or <c>…Ids</c>, at any depth of the input (with variables substituted),
    /// as <c>name=value</c> pairs; when there are none, a <c>name</c> argument. Other arguments (text, GML, roles) are not kept.
    /// </summary>
    public static string Of(IEnumerable<GraphQLArgument>? arguments, Inputs? variables)
    {
        var ids = new List<string>();
        var names = new List<string>();
        foreach (var argument in arguments ?? [])
        {
            Collect(argument.Name.StringValue, argument.Value, variables, ids, names, 0);
        }

        return string.Join(", ", ids.Count > 0 ? ids : names);
    }

    private static void Collect(string name, object? value, Inputs? variables, List<string> ids, List<string> names, int depth)
    {
        if (depth > 8 || ids.Count >= MaxValues)
        {
            return;
        }

        switch (value)
        {
            case GraphQLVariable variable:
                Collect(name, variables is not null && variables.TryGetValue(variable.Name.StringValue, out var v) ? v : null, variables, ids, names, depth + 1);
                return;
            case GraphQLObjectValue obj:
                foreach (var field in obj.Fields ?? [])
                {
                    Collect(field.Name.StringValue, field.Value, variables, ids, names, depth + 1);
                }

                return;
            case GraphQLListValue list:
                foreach (var item in list.Values ?? [])
                {
                    Collect(name, item, variables, ids, names, depth + 1);
                }

                return;
            case IReadOnlyDictionary<string, object?> map:
                foreach (var (key, item) in map)
                {
                    Collect(key, item, variables, ids, names, depth + 1);
                }

                return;
            case IEnumerable<object?> items when value is not string:
                foreach (var item in items)
                {
                    Collect(name, item, variables, ids, names, depth + 1);
                }

                return;
        }

        var text = value switch
        {
            null or GraphQLNullValue => null,
            GraphQLStringValue s => new string(s.Value.Span),
            GraphQLIntValue i => new string(i.Value.Span),
            GraphQLEnumValue e => e.Name.StringValue,
            GraphQLValue => null,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        if (text is null)
        {
            return;
        }

        if (name == "id" || name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("Ids", StringComparison.Ordinal))
        {
            ids.Add($"{name}={text}");
        }
        else if (name == "name")
        {
            names.Add($"{name}={text}");
        }
    }
}
