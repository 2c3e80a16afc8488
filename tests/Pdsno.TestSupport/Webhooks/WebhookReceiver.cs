using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pdsno.TestSupport.Webhooks;

/// <summary>How the receiver answers.</summary>
public enum ReceiverMode
{
    /// <summary>204 at once.</summary>
    Ok,

    /// <summary>500 at once.</summary>
    Fail,

    /// <summary>Never answers (until stopped).</summary>
    Hang,
}

/// <summary>One request the receiver got: its headers, exact body, the sequences in the body and when it arrived (a Stopwatch timestamp).</summary>
public sealed record ReceivedDelivery(IReadOnlyDictionary<string, string> Headers, byte[] Body, IReadOnlyList<long> Sequences, long At);

/// <summary>
/// A real HTTP receiver on 127.0.0.1 for webhook deliveries: records every request and answers as its
/// <see cref="Mode"/> says. It can be stopped and started again on the same port, as a receiver that goes away would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly CancellationTokenSource _hang = new();
    private HttpListener? _listener;
    private Task _loop = Task.CompletedTask;

    private WebhookReceiver(int port)
    {
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The URL to give a webhook.</summary>
    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>How it answers now.</summary>
    public ReceiverMode Mode { get; set; }

    /// <summary>Every request received that carried a body, in arrival order (answered or not).</summary>
    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    /// <summary>Requests that got a 2xx answer, in arrival order.</summary>
    public ConcurrentQueue<ReceivedDelivery> Accepted { get; } = new();

    /// <summary>Starts a receiver on a free loopback port.</summary>
    public static WebhookReceiver Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var receiver = new WebhookReceiver(port);
        receiver.Resume();
        return receiver;
    }

    /// <summary>Stops listening: connections are refused until <see cref="Resume"/>.</summary>
    public async Task StopAsync()
    {
        var listener = _listener;
        _listener = null;
        if (listener is not null)
        {
            listener.Abort();
            await _loop;
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public void Resume()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _listener = listener;
        _loop = Task.Run(() => AcceptAsync(listener));
    }

    /// <summary>All sequences accepted, in arrival order (with any duplicates).</summary>
    public List<long> AcceptedSequences() => [.. Accepted.SelectMany(d => d.Sequences)];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _hang.CancelAsync();
        await StopAsync();
        _hang.Dispose();
    }

    private async Task AcceptAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var at = Stopwatch.GetTimestamp();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var delivery = new ReceivedDelivery(headers, body.ToArray(), SequencesOf(body.ToArray()), at);
            Received.Enqueue(delivery);
            var mode = Mode;
            if (mode == ReceiverMode.Hang)
            {
                await Task.Delay(Timeout.Infinite, _hang.Token);
            }

            if (mode == ReceiverMode.Ok)
            {
                Accepted.Enqueue(delivery);
            }

            context.Response.StatusCode = mode == ReceiverMode.Ok ? 204 : 500;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            context.Response.Abort();
        }
    }

    private static List<long> SequencesOf(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return [.. json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64())];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return [];
        }
    }
}
