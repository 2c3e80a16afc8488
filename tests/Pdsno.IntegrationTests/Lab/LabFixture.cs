using System.Diagnostics;
using System.Text.Json;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Lab;

/// <summary>
/// A real 4-device ring of snmpd + lldpd namespaces built by <c>scripts/lab.sh</c> once for the lab tests, and
/// always torn down again, also when building it failed half-way.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    public const string StateFile = "/run/pdsno-lab/lab.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public LabDescription Description { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            await LabAsync(TimeSpan.FromMinutes(5), "up", "--devices", "4");
            await using var stream = File.OpenRead(StateFile);
            Description = (await JsonSerializer.DeserializeAsync<LabDescription>(stream, Json))!;
        }
        catch
        {
            await LabAsync(TimeSpan.FromMinutes(1), "down");
            throw;
        }
    }

    public Task DisposeAsync() => LabAsync(TimeSpan.FromMinutes(1), "down");

    /// <summary>Runs <c>scripts/lab.sh</c> with <paramref name="args"/>; a non-zero exit fails with its output.</summary>
    public static async Task<string> LabAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "lab.sh"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lab.sh {string.Join(' ', args)} did not finish within {timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"lab.sh {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return await stdout;
    }
}

/// <summary>The part of <c>lab.json</c> the tests compare discovery with.</summary>
public sealed record LabDescription(string Community, List<LabDevice> Devices, List<LabLink> Links);

/// <summary>A lab device and its interfaces.</summary>
public sealed record LabDevice(string Name, string MgmtAddress, List<LabInterface> Interfaces);

/// <summary>An interface as the kernel numbers and addresses it.</summary>
public sealed record LabInterface(string Name, int IfIndex, string Mac, string Role);

/// <summary>A veth link between two lab devices.</summary>
public sealed record LabLink(string A, string AIf, string B, string BIf);

[CollectionDefinition(Name)]
public sealed class LabGroup : ICollectionFixture<PostgresFixture>, ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}
