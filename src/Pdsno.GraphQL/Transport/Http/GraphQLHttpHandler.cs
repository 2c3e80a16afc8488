using System.Buffers;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQL.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Ide;
using Pdsno.GraphQL.Security;

namespace Pdsno.GraphQL.Transport.Http;

/// <summary>Serves GraphQL over HTTP as the GraphQL-over-HTTP specification describes (GET and POST).</summary>
internal sealed class GraphQLHttpHandler(IOptions<GraphQLTransportOptions> options, ILogger<GraphQLHttpHandler> logger)
{
    private const int ReadChunkBytes = 16 * 1024;
    private readonly GraphQLTransportOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, PathString endpointPath)
    {
        var request = context.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST";
            await WriteTransportErrorAsync(context, StatusCodes.Status405MethodNotAllowed, GraphQLMediaTypes.GraphQLResponseJson,
                $"HTTP method {request.Method} is not supported; use POST (or GET for queries).");
            return;
        }

        var accept = request.Headers.Accept;
        if (isGet && !request.Query.ContainsKey("query") && GraphQLMediaTypes.AcceptsHtml(accept))
        {
            await GraphiQLPage.WriteAsync(context, endpointPath);
            return;
        }

        var mediaType = GraphQLMediaTypes.Negotiate(accept);
        if (mediaType is null)
        {
            // The client accepts neither response type; the error body still has to be in some type, and
            // application/json is the one every GraphQL client understands.
            await WriteTransportErrorAsync(context, StatusCodes.Status406NotAcceptable, GraphQLMediaTypes.Json,
                $"The Accept header allows neither {GraphQLMediaTypes.GraphQLResponseJson} nor {GraphQLMediaTypes.Json}.");
            return;
        }

        // Who is asking is settled before the body is read: an anonymous caller gets nothing parsed or run.
        PdsnoUserContext userContext;
        try
        {
            var factory = context.RequestServices.GetRequiredService<IPdsnoUserContextFactory>();
            userContext = await factory.CreateAsync(context, null, context.RequestAborted);
        }
        catch (AuthenticationRequiredException ex)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"pdsno\"";
            await WriteResultAsync(context, StatusCodes.Status401Unauthorized, mediaType, new ExecutionResult
            {
                Errors = [new ExecutionError(ex.Message) { Code = "UNAUTHENTICATED" }],
            });
            return;
        }
        catch (Exception ex) when (Unavailability.IsUnavailable(ex))
        {
            // The token could not be checked because the database is out of reach: say so, and when to retry.
            logger.LogWarning("GraphQL request not authenticated: the database is unavailable ({Reason})", ex.Message);
            context.Response.Headers.RetryAfter = "5";
            await WriteResultAsync(context, StatusCodes.Status503ServiceUnavailable, mediaType, new ExecutionResult
            {
                Errors = [PdsnoError.Unavailable()],
            });
            return;
        }

        var serializer = context.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        var (graphQLRequest, failure) = isGet
            ? ReadQueryString(request.Query, serializer)
            : await ReadBodyAsync(context, serializer);
        if (failure is { } rejected)
        {
            await WriteTransportErrorAsync(context, rejected.StatusCode, mediaType, rejected.Message);
            return;
        }

        await ExecuteAsync(context, userContext, graphQLRequest!, isGet, mediaType, endpointPath);
    }

    private static async Task ExecuteAsync(HttpContext context, PdsnoUserContext userContext, GraphQLRequest graphQLRequest, bool isGet, string mediaType, PathString endpointPath)
    {
        var cancellationToken = context.RequestAborted;
        var rule = new HttpOperationRule(isGet, endpointPath.Value!);
        var executionOptions = new ExecutionOptions
        {
            Query = graphQLRequest.Query,
            DocumentId = graphQLRequest.DocumentId,
            OperationName = graphQLRequest.OperationName,
            Variables = graphQLRequest.Variables,
            Extensions = graphQLRequest.Extensions,
            UserContext = userContext,
            User = context.User,
            RequestServices = context.RequestServices,
            CancellationToken = cancellationToken,
            ValidationRules = DocumentValidator.CoreRules.Append(rule),
            CachedDocumentValidationRules = [rule],
        };

        ExecutionResult result;
        try
        {
            var executer = context.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>();
            result = await executer.ExecuteAsync(executionOptions);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
            return;
        }

        var statusCode = StatusCodes.Status200OK;
        if (result.Errors?.OfType<MutationOverGetError>().Any() == true)
        {
            // The spec requires 405 for a mutation over GET whatever the media type.
            statusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
        }
        else if (!result.Executed && mediaType == GraphQLMediaTypes.GraphQLResponseJson)
        {
            // Parse, validation, operation-selection and variable-coercion failures are request errors: no data, 400.
            // Under application/json the spec asks for 200 for every well-formed request instead.
            statusCode = StatusCodes.Status400BadRequest;
        }

        await WriteResultAsync(context, statusCode, mediaType, result);
    }

    private static (GraphQLRequest? Request, Rejection? Failure) ReadQueryString(IQueryCollection query, IGraphQLTextSerializer serializer)
    {
        if (!TrySingle(query, "query", out var text) || string.IsNullOrWhiteSpace(text))
        {
            return (null, Rejection.BadRequest("A GraphQL request needs exactly one non-empty 'query' parameter."));
        }

        if (!TrySingle(query, "operationName", out var operationName))
        {
            return (null, Rejection.BadRequest("The 'operationName' parameter may appear at most once."));
        }

        if (!TryParseObject(query, "variables", serializer, out var variables, out var failure)
            || !TryParseObject(query, "extensions", serializer, out var extensions, out failure))
        {
            return (null, failure);
        }

        return (new GraphQLRequest
        {
            Query = text,
            OperationName = string.IsNullOrEmpty(operationName) ? null : operationName,
            Variables = variables,
            Extensions = extensions,
        }, null);
    }

    private static bool TrySingle(IQueryCollection query, string name, out string? value)
    {
        var values = query.TryGetValue(name, out var found) ? found : StringValues.Empty;
        value = values.Count == 1 ? values[0] : null;
        return values.Count <= 1;
    }

    private static bool TryParseObject(IQueryCollection query, string name, IGraphQLTextSerializer serializer, out Inputs? value, out Rejection? failure)
    {
        value = null;
        failure = null;
        if (!TrySingle(query, name, out var json))
        {
            failure = Rejection.BadRequest($"The '{name}' parameter may appear at most once.");
            return false;
        }

        if (string.IsNullOrEmpty(json))
        {
            return true;
        }

        try
        {
            value = serializer.Deserialize<Inputs>(json);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = Rejection.BadRequest($"The '{name}' parameter must be a JSON object: {ex.Message}");
            return false;
        }
    }

    private async Task<(GraphQLRequest? Request, Rejection? Failure)> ReadBodyAsync(HttpContext context, IGraphQLTextSerializer serializer)
    {
        var request = context.Request;
        if (!GraphQLMediaTypes.IsJsonRequest(request.ContentType))
        {
            return (null, new Rejection(StatusCodes.Status415UnsupportedMediaType,
                $"POST bodies must be sent as {GraphQLMediaTypes.Json} (UTF-8); found '{request.ContentType ?? "no Content-Type"}'."));
        }

        var limit = _options.MaxRequestBodyBytes;
        var tooLarge = new Rejection(StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {limit} bytes.");
        if (request.ContentLength > limit)
        {
            return (null, tooLarge);
        }

        // Let the server stop reading at our limit too, where it still can (its own default is 30 MB).
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false } && (sizeFeature.MaxRequestBodySize is null || sizeFeature.MaxRequestBodySize > limit))
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ReadChunkBytes), context.RequestAborted)) > 0)
            {
                if (body.Length + read > limit)
                {
                    return (null, tooLarge);
                }

                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        GraphQLRequest? graphQLRequest;
        try
        {
            body.Position = 0;
            graphQLRequest = await serializer.ReadAsync<GraphQLRequest>(body, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Malformed GraphQL request body");
            return (null, Rejection.BadRequest($"The request body is not a JSON GraphQL request: {ex.Message}"));
        }

        if (graphQLRequest is null || (string.IsNullOrWhiteSpace(graphQLRequest.Query) && string.IsNullOrWhiteSpace(graphQLRequest.DocumentId)))
        {
            return (null, Rejection.BadRequest("A GraphQL request needs a non-empty 'query'."));
        }

        return (graphQLRequest, null);
    }

    private async Task WriteTransportErrorAsync(HttpContext context, int statusCode, string mediaType, string message)
    {
        logger.LogDebug("GraphQL HTTP request refused with {StatusCode}: {Reason}", statusCode, message);
        var result = new ExecutionResult { Errors = [new ExecutionError(message)] };
        await WriteResultAsync(context, statusCode, mediaType, result);
    }

    private static async Task WriteResultAsync(HttpContext context, int statusCode, string mediaType, ExecutionResult result)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = mediaType + "; charset=utf-8";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        var serializer = context.RequestServices.GetRequiredService<IGraphQLSerializer>();
        if (serializer is GraphQLResponseSerializer pipe)
        {
            // Into the response pipe's pooled segments: a dense page is hundreds of kilobytes, which as one buffer
            // would be a large-object-heap array per request, each bringing the next gen2 collection closer.
            pipe.Write(response.BodyWriter, result);
            await response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }

        await serializer.WriteAsync(response.Body, result, context.RequestAborted);
    }

    private sealed record Rejection(int StatusCode, string Message)
    {
        public static Rejection BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    }
}
