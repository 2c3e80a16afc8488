using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Pdsno.GraphQL.Ide;

/// <summary>The GraphiQL page given to browsers that open the GraphQL endpoint; queries go over HTTP, subscriptions over graphql-transport-ws.</summary>
internal static class GraphiQLPage
{
    public static Task WriteAsync(HttpContext context, PathString endpointPath)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return response.WriteAsync(Render(context.Request.PathBase.Add(endpointPath)), context.RequestAborted);
    }

    internal static string Render(PathString endpoint)
    {
        var html = HtmlEncoder.Default;
        var js = JavaScriptEncoder.Default;
        var assets = html.Encode(endpoint.Add("/ide").Value!);
        var endpointJs = js.Encode(endpoint.Value!);
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>PDSNO GraphiQL</title>
              <link rel="stylesheet" href="{{assets}}/graphiql.min.css" />
              <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
            </head>
            <body>
              <div id="graphiql">Loading GraphiQL…</div>
              <script src="{{assets}}/react.production.min.js"></script>
              <script src="{{assets}}/react-dom.production.min.js"></script>
              <script src="{{assets}}/graphiql.min.js"></script>
              <script>
                const endpoint = "{{endpointJs}}";
                const http = new URL(endpoint, window.location.href);
                const ws = new URL(endpoint, window.location.href);
                ws.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
                // createFetcher uses graphql-ws (the graphql-transport-ws protocol) for subscriptions.
                const fetcher = GraphiQL.createFetcher({ url: http.href, subscriptionUrl: ws.href });
                ReactDOM.createRoot(document.getElementById("graphiql")).render(
                  React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
              </script>
            </body>
            </html>
            """;
    }
}
