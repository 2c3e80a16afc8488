using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Pdsno.Silo.OperatorConsole;

/// <summary>
/// The operator console: a static page at <c>/</c> and its modules under <c>/console/</c>, embedded at build time
/// (OperatorConsole.targets). The files carry no data and need no token; the page signs in and asks the public
/// GraphQL API for everything it shows, so it can do exactly what the token it was given may.
/// </summary>
public static class OperatorConsoleEndpoints
{
    private const string AssetPath = "/console";

    // Only our own origin: no CDN, no inline script; inline styles only because cytoscape sizes its canvases with them.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Maps <c>/</c> (the page) and <c>/console/{file}</c> (its modules and styles).</summary>
    public static WebApplication MapPdsnoConsole(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(OperatorConsoleEndpoints).Assembly, "Pdsno.Silo.OperatorConsole.wwwroot");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = AssetPath,
            OnPrepareResponse = context => Harden(context.Context.Response, "no-cache"),
        });
        app.MapGet("/", async (HttpContext context) =>
        {
            var page = files.GetFileInfo("index.html");
            if (!page.Exists)
            {
                // The build did not embed the console (npm unavailable at build time).
                return Results.NotFound();
            }

            Harden(context.Response, "no-store");
            await using var stream = page.CreateReadStream();
            using var reader = new StreamReader(stream);
            return Results.Content(await reader.ReadToEndAsync(context.RequestAborted), "text/html; charset=utf-8");
        }).WithDisplayName("Operator console");
        return app;
    }

    private static void Harden(HttpResponse response, string cacheControl)
    {
        response.Headers[HeaderNames.CacheControl] = cacheControl;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
