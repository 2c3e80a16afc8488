using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Pdsno.GraphQL.Ide;

/// <summary>Serves the GraphiQL browser bundle embedded by Ide.targets (from npm at build time, never a CDN).</summary>
internal static class GraphiQLAssets
{
    private const string ResourcePrefix = "Pdsno.GraphQL.Ide.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["graphiql.min.js"] = "text/javascript; charset=utf-8",
        ["graphiql.min.css"] = "text/css; charset=utf-8",
        ["react.production.min.js"] = "text/javascript; charset=utf-8",
        ["react-dom.production.min.js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The bundle only changes with a new build, so the assembly version is a good validator.
    private static readonly string ETag = $"\"{typeof(GraphiQLAssets).Assembly.ManifestModule.ModuleVersionId:N}\"";

    /// <summary>The asset names, as served under <c>{path}/ide/</c>.</summary>
    public static IEnumerable<string> Names => ContentTypes.Keys;

    public static async Task WriteAsync(HttpContext context, string? file)
    {
        var response = context.Response;
        if (file is null || !ContentTypes.TryGetValue(file, out var contentType))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await using var stream = typeof(GraphiQLAssets).Assembly.GetManifestResourceStream(ResourcePrefix + file);
        if (stream is null)
        {
            // The build did not embed the bundle (Ide.targets not imported, or npm unavailable at build time).
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        response.Headers[HeaderNames.ETag] = ETag;
        response.Headers[HeaderNames.CacheControl] = "public, max-age=86400";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        if (context.Request.Headers.IfNoneMatch == ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = contentType;
        response.ContentLength = stream.Length;
        await stream.CopyToAsync(response.Body, context.RequestAborted);
    }
}
