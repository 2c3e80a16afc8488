using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;

namespace Pdsno.EndToEndTests.Transport;

/// <summary>Interoperability with the reference graphql-ws client (npm), run by Node against the real server.</summary>
[Collection(TransportTests.Name)]
public sealed class ReferenceClientTests(TransportHost host)
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Graphql_ws_client_queries_subscribes_and_completes_both_ways()
    {
        var directory = NodeClientDirectory();
        await EnsureInstalledAsync(directory);
        var topic = Guid.NewGuid().ToString("N");

        using var node = Start("node", directory, "subscribe.mjs", host.WebSocketUri.ToString(), topic, "node-tenant");
        var lines = ReadLines(node);
        try
        {
            Assert.Equal("connected", (await NextAsync(lines)).Kind);
            var query = await NextAsync(lines);
            Assert.Equal("query", query.Kind);
            Assert.Equal("node-tenant", query.Payload.GetProperty("data").GetProperty("tenant").GetString());
            Assert.Equal(("query-end", "complete"), await NextStringAsync(lines));

            Assert.Equal(("subscribing", "server-completes"), await NextStringAsync(lines));
            await host.Feed.WaitForSubscribersAsync(topic, 1);
            for (var i = 0; i < 3; i++)
            {
                host.Feed.Publish(topic, $"node-{i}");
            }

            for (var i = 0; i < 3; i++)
            {
                var next = await NextAsync(lines);
                Assert.Equal("next", next.Kind);
                Assert.Equal($"node-{i}", next.Payload.GetProperty("data").GetProperty("events").GetString());
            }

            host.Feed.Complete(topic);
            Assert.Equal(("subscription-end", "complete"), await NextStringAsync(lines));

            Assert.Equal(("subscribing", "client-completes"), await NextStringAsync(lines));
            await host.Feed.WaitForSubscribersAsync(topic + "-2", 1);
            host.Feed.Publish(topic + "-2", "only-one");
            var second = await NextAsync(lines);
            Assert.Equal("next-2", second.Kind);
            Assert.Equal("only-one", second.Payload.GetProperty("data").GetProperty("events").GetString());
            Assert.Equal(("subscription-end", "cancelled"), await NextStringAsync(lines));
            await host.Feed.WaitForSubscribersAsync(topic + "-2", 0);

            using var exit = new CancellationTokenSource(LineTimeout);
            await node.WaitForExitAsync(exit.Token);
            Assert.Equal(0, node.ExitCode);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }

    private static string NodeClientDirectory() =>
        typeof(ReferenceClientTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PdsnoNodeClientDirectory").Value!;

    private static async Task EnsureInstalledAsync(string directory)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(directory, "node_modules", "graphql-ws", "package.json")))
            {
                return;
            }

            using var npm = Start("npm", directory, "ci", "--no-audit", "--no-fund");
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(timeout.Token);
            Assert.True(npm.ExitCode == 0, $"npm ci failed in {directory}: {await output}{await errors}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static Process Start(string fileName, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
    }

    private static ChannelReader<string> ReadLines(Process process)
    {
        var channel = Channel.CreateUnbounded<string>();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                await channel.Writer.WriteAsync(line);
            }

            var errors = await process.StandardError.ReadToEndAsync();
            channel.Writer.TryComplete(errors.Length > 0 ? new InvalidOperationException("node stderr: " + errors) : null);
        });
        return channel.Reader;
    }

    private static async Task<(string Kind, JsonElement Payload)> NextAsync(ChannelReader<string> lines)
    {
        using var timeout = new CancellationTokenSource(LineTimeout);
        var line = await lines.ReadAsync(timeout.Token);
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.True(root.GetProperty("kind").GetString() != "error", "node reported: " + line);
        return (root.GetProperty("kind").GetString()!, root.TryGetProperty("payload", out var payload) ? payload.Clone() : default);
    }

    private static async Task<(string Kind, string? Payload)> NextStringAsync(ChannelReader<string> lines)
    {
        var (kind, payload) = await NextAsync(lines);
        return (kind, payload.ValueKind == JsonValueKind.String ? payload.GetString() : payload.ToString());
    }
}
