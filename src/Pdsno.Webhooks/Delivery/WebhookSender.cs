using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Pdsno.Webhooks.Hosting;

namespace Pdsno.Webhooks.Delivery;

/// <summary>How one request went: the receiver's status code, or the error that came before one.</summary>
public sealed record SendResult(int? StatusCode, string? Error, TimeSpan Duration)
{
    /// <summary>True for a 2xx answer.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Posts signed deliveries. Connections go only to addresses the <see cref="AddressPolicy"/> allows, checked on the
/// address each connection is made to (so DNS cannot point a webhook at the silo after it was created); redirects are
/// not followed, no proxy is used, and a receiver that does not answer within the request timeout is cut off.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly AddressPolicy _policy;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>A sender with the given settings.</summary>
    public WebhookSender(WebhookOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _policy = AddressPolicy.From(options);
        _timeout = options.RequestTimeout;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 16,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = 64 * 1024 };
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="url"/> with the delivery headers and signature; never throws for the receiver's faults.</summary>
    public async Task<SendResult> SendAsync(Uri url, string webhookId, string secret, byte[] body, long firstSequence, long lastSequence, int attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.WebhookHeader, webhookId);
        request.Headers.Add(WebhookSignature.SequenceHeader, firstSequence == lastSequence
            ? firstSequence.ToString(CultureInfo.InvariantCulture)
            : $"{firstSequence.ToString(CultureInfo.InvariantCulture)}-{lastSequence.ToString(CultureInfo.InvariantCulture)}");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("PDSNO-Webhooks", "1"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            // Only the status counts; the receiver's body is not read.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new SendResult((int)response.StatusCode, null, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(null, $"timed out after {_timeout.TotalSeconds:0.###} s", Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(null, Describe(ex), Stopwatch.GetElapsedTime(started));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException;
        while (inner?.InnerException is not null && inner is not RefusedAddressException and not SocketException)
        {
            inner = inner.InnerException;
        }

        return inner switch
        {
            RefusedAddressException refused => refused.Message,
            SocketException socket => $"connection failed: {socket.SocketErrorCode}",
            _ => ex.Message,
        };
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refusals = new List<string>();
        SocketException? lastFailure = null;
        foreach (var address in addresses)
        {
            if (_policy.Refusal(address) is { } refusal)
            {
                refusals.Add(refusal);
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // The socket connects to exactly the address just checked, never to a name resolved again.
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastFailure = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastFailure is not null)
        {
            throw lastFailure;
        }

        throw new RefusedAddressException(refusals.Count > 0 ? $"refused: {refusals[0]}" : $"{host} resolves to no address");
    }
}

/// <summary>A connection the address policy refused.</summary>
public sealed class RefusedAddressException(string message) : IOException(message);
