using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Pdsno.Discovery.Config;
using Pdsno.Discovery.Hosting;

namespace Pdsno.UnitTests.Config;

/// <summary>The ssh driver's settings are checked at start, naming the key file and never showing its content.</summary>
public sealed class SshConfigDriverOptionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pdsno-ssh-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_missing_key_path_or_file_is_named()
    {
        Assert.Contains(
            "ConfigDrivers:Ssh:KeyPath is not set; the ssh config driver logs in with a private key file only (e.g. ConfigDrivers__Ssh__KeyPath=/etc/pdsno/id_ed25519)",
            new SshConfigDriverOptions().Problems());
        var missing = Path.Combine(_folder, "nope");
        Assert.Equal([$"ConfigDrivers:Ssh:KeyPath: the key file '{missing}' does not exist"], new SshConfigDriverOptions { KeyPath = missing }.Problems());
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_key_others_can_read_or_that_is_no_key_is_refused_without_quoting_it()
    {
        var path = Path.Combine(_folder, "id");
        File.WriteAllText(path, "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE KEY-----\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(
            [$"ConfigDrivers:Ssh:KeyPath: the key file '{path}' is readable or writable by other users; restrict it to its owner (chmod 600)"],
            new SshConfigDriverOptions { KeyPath = path }.Problems());

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var problem = Assert.Single(new SshConfigDriverOptions { KeyPath = path }.Problems());
        Assert.StartsWith($"ConfigDrivers:Ssh:KeyPath: the key file '{path}' cannot be read as an unencrypted private key", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "snmp", false)]
    [InlineData(null, "simulated", false)]
    [InlineData("ssh", "simulated", true)]
    [InlineData("ssh", "snmp", true)]
    [InlineData("simulated", "snmp", false)]
    public void The_settings_must_be_complete_at_start_only_when_the_driver_is_named(string? driver, string discovery, bool inUse)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConfigDrivers:Driver"] = driver,
            ["Discovery:Driver"] = discovery,
        }).Build();

        Assert.Equal(inUse, SshConfigDriverOptions.InUse(configuration));
    }

    [Fact]
    public void Registered_in_use_without_a_key_the_start_fails_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConfigDrivers:Driver"] = "ssh",
            ["ConfigDrivers:Ssh:Port"] = "0",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging()
            .AddSingleton<ISshHostKeyStore, UnusedStore>().AddSshConfigDriver(configuration);
        using var provider = services.BuildServiceProvider();

        Assert.Equal("ssh", Assert.Single(provider.GetServices<IConfigDriver>()).Name);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SshConfigDriverOptions>>().Value);
        Assert.Contains("ConfigDrivers:Ssh:Port is 0; it must be between 1 and 65535", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("ConfigDrivers:Ssh:KeyPath is not set", StringComparison.Ordinal));
    }

    private sealed class UnusedStore : ISshHostKeyStore
    {
        public Task<string?> FindAsync(string tenant, string device, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> PinAsync(string tenant, string device, string address, string fingerprint, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
