using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pdsno.IntegrationTests.Infrastructure;

/// <summary>A real PDSNO silo process on loopback ports, started the way an operator starts one.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int httpPort, int siloPort, string adminTokenFile)
    {
        _process = process;
        AdminTokenFile = adminTokenFile;
        HttpPort = httpPort;
        SiloPort = siloPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public int SiloPort { get; }

    /// <summary>An HTTP client for the silo; once ready it presents the database's first-start admin token.</summary>
    public HttpClient Http { get; }

    /// <summary>Where silos of this database keep the first-start admin token.</summary>
    public string AdminTokenFile { get; }

    /// <summary>The first-start admin token (read once the silo is ready).</summary>
    public string AdminToken { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The process id, as the silo names itself in leases it holds.</summary>
    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts a silo; <paramref name="settings"/> are configuration keys (e.g. <c>Discovery:Interval</c>).</summary>
    public static SiloProcess Start(string? connectionString, IDictionary<string, string>? settings = null, int? siloPort = null, int? httpPort = null)
    {
        var http = httpPort ?? FreePort();
        var silo = siloPort ?? FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.SiloDll)!,
        };
        psi.ArgumentList.Add(RepoPaths.SiloDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{http}");
        psi.Environment.Remove("ConnectionStrings__Pdsno");
        if (connectionString is not null)
        {
            psi.Environment["ConnectionStrings__Pdsno"] = connectionString;
        }

        // Silos of one database share the first-start admin token: the first writes it, the others find one exists.
        var tokenFolder = Path.Combine(Path.GetTempPath(), "pdsno-test-tokens", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(connectionString ?? "none")))[..16]);
        var adminTokenFile = Path.Combine(tokenFolder, "admin-token");
        var all = new Dictionary<string, string>
        {
            ["Security:AdminTokenFile"] = adminTokenFile,
            ["Orleans:SiloPort"] = silo.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            all[k] = v;
        }

        foreach (var (k, v) in all)
        {
            psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        return new SiloProcess(Process.Start(psi)!, http, silo, adminTokenFile);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var response = await Http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    if (File.Exists(AdminTokenFile))
                    {
                        AdminToken = (await File.ReadAllTextAsync(AdminTokenFile)).Trim();
                        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
                    }

                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"silo not ready in time:\n{Output}");
    }

    /// <summary>Waits for the process to exit on its own (a start-up error).</summary>
    public async Task<int> WaitExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Kills the process outright, as <c>kill -9</c> does.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Asks the process to shut down gracefully (SIGTERM) and waits.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await term!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        Http.Dispose();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
