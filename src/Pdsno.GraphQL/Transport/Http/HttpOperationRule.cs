using GraphQL.Validation;
using GraphQLParser.AST;

namespace Pdsno.GraphQL.Transport.Http;

/// <summary>
/// Validation rule for operations arriving over HTTP: subscriptions are refused (they are served over WebSocket),
/// and over GET only queries run, because GET is a "safe" method that caches, proxies and logs may replay.
/// It runs as a validation rule so the operation is chosen exactly as the executer chooses it (operationName included).
/// </summary>
internal sealed class HttpOperationRule(bool isGet, string webSocketPath) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var operation = context.Operation;
        if (operation.Operation == OperationType.Subscription)
        {
            context.ReportError(new SubscriptionOverHttpError(webSocketPath, operation));
        }
        else if (isGet && operation.Operation == OperationType.Mutation)
        {
            context.ReportError(new MutationOverGetError());
        }

        return default;
    }
}

/// <summary>A mutation was sent with GET; answered with 405 and <c>Allow: POST</c>.</summary>
internal sealed class MutationOverGetError : ValidationError
{
    public MutationOverGetError()
        : base("Mutations must be sent with POST; GET only runs queries.")
    {
        Code = "METHOD_NOT_ALLOWED";
    }
}

/// <summary>A subscription was sent over HTTP; the client is told where subscriptions are served.</summary>
internal sealed class SubscriptionOverHttpError : ValidationError
{
    public SubscriptionOverHttpError(string webSocketPath, GraphQLOperationDefinition operation)
        : base($"Subscriptions are served over WebSocket (graphql-transport-ws) at {webSocketPath}; {OperationLabel(operation)} was not run.")
    {
        Code = "SUBSCRIPTION_OVER_HTTP";
    }

    private static string OperationLabel(GraphQLOperationDefinition operation) =>
        operation.Name is { } name ? $"subscription '{name.StringValue}'" : "the subscription";
}
