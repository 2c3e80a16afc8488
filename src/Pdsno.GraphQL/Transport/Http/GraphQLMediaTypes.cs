using Microsoft.Net.Http.Headers;

namespace Pdsno.GraphQL.Transport.Http;

/// <summary>The response media types of GraphQL over HTTP and how an Accept header chooses between them.</summary>
internal static class GraphQLMediaTypes
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";
    public const string Html = "text/html";

    /// <summary>
    /// The media type to answer with, or null when the Accept header allows neither (406).
    /// A client that names application/graphql-response+json or application/json gets the one it prefers. A missing
    /// Accept header, or one that only allows wildcards (<c>*/*</c>, <c>application/*</c>), gets application/json:
    /// the GraphQL-over-HTTP spec's SHOULD, since such clients are legacy ones that may not know the newer type.
    /// </summary>
    public static string? Negotiate(IList<string>? acceptValues)
    {
        if (acceptValues is null || acceptValues.Count == 0 || acceptValues.All(string.IsNullOrWhiteSpace))
        {
            return Json;
        }

        if (!MediaTypeHeaderValue.TryParseList(acceptValues, out var parsed))
        {
            return null;
        }

        // Highest quality first; among equals the client's order decides (OrderByDescending is stable).
        var wildcard = false;
        foreach (var candidate in parsed.OrderByDescending(m => m.Quality ?? 1.0))
        {
            if (candidate.Quality is 0)
            {
                continue;
            }

            var mediaType = candidate.MediaType.Value;
            if (string.Equals(mediaType, GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseJson;
            }

            if (string.Equals(mediaType, Json, StringComparison.OrdinalIgnoreCase))
            {
                return Json;
            }

            wildcard |= string.Equals(mediaType, "*/*", StringComparison.Ordinal)
                || string.Equals(mediaType, "application/*", StringComparison.OrdinalIgnoreCase);
        }

        return wildcard ? Json : null;
    }

    /// <summary>Whether a browser is asking for a page: text/html is listed and acceptable.</summary>
    public static bool AcceptsHtml(IList<string>? acceptValues) =>
        acceptValues is not null
        && MediaTypeHeaderValue.TryParseList(acceptValues, out var parsed)
        && parsed.Any(m => m.Quality is not 0 && string.Equals(m.MediaType.Value, Html, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a request body's Content-Type is JSON in UTF-8 (the only request encoding the spec requires).</summary>
    public static bool IsJsonRequest(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !string.Equals(parsed.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var charset = parsed.Charset.Value;
        return charset is null || string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase);
    }
}
