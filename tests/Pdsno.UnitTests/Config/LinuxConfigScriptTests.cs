using System.Diagnostics;
using Pdsno.Abstractions.Config;
using Pdsno.Discovery.Config;

namespace Pdsno.UnitTests.Config;

/// <summary>The ssh driver's shell: values quoted so they are taken literally, only the difference applied, bad values refused.</summary>
public sealed class LinuxConfigScriptTests
{
    private static readonly DeviceConfig Running = new(
        "lab1", "rack 1", "noc@example.net", ["192.0.2.123"], ["192.0.2.53"],
        [new InterfaceConfig("eth1", true, "to lab2 eth1", 1500), new InterfaceConfig("mgmt0", true, "management", 1500)],
        [new StaticRoute("10.9.0.0/24", "100.65.0.1", Metric: 10), new StaticRoute("10.8.0.0/24", "100.65.0.1", "eth1", 5)]);

    private static readonly LinuxDeviceState State = new(Running.Canonical(), "mgmt0");

    [Theory]
    [InlineData("plain")]
    [InlineData("it's \"quoted\"")]
    [InlineData("$(touch /tmp/x) `id` ; rm -rf / && echo $HOME")]
    [InlineData("two\nlines\\n 'and' ''")]
    [InlineData("")]
    public async Task A_quoted_value_reaches_a_real_shell_literally(string value)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("printf '%s' " + LinuxConfigScript.Quote(value));
        using var shell = Process.Start(psi)!;
        var output = await shell.StandardOutput.ReadToEndAsync();
        await shell.WaitForExitAsync();

        Assert.Equal(value, output);
    }

    [Fact]
    public void The_same_config_needs_no_script()
    {
        Assert.Null(LinuxConfigScript.Apply(Running, State));
    }

    [Fact]
    public void Only_what_differs_is_applied_and_routes_no_longer_wanted_are_removed_first()
    {
        var desired = Running with
        {
            Interfaces = [Running.Interfaces[0] with { Enabled = false, Mtu = 1400, Description = "a 'b'" }, Running.Interfaces[1]],
            Routes = [Running.Routes[1], new StaticRoute("10.7.0.0/16", "100.65.0.1")],
        };

        var script = LinuxConfigScript.Apply(desired, State)!;
        var lines = script.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l[(l.IndexOf(">&2; ", StringComparison.Ordinal) + 5)..]).ToList();

        Assert.Equal(
            [
                "ip route del 10.9.0.0/24 via 100.65.0.1 metric 10 proto static",
                "ip link set dev 'eth1' mtu 1400 alias 'a '\\''b'\\''' down",
                "ip route replace 10.7.0.0/16 via 100.65.0.1 metric 0 proto static",
            ],
            lines);
        Assert.StartsWith("set -e\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void System_services_and_identity_go_to_the_drivers_files_and_snmpd_is_told()
    {
        var desired = Running with { Hostname = "core-1", Location = "", NtpServers = [], DnsServers = ["192.0.2.1", "192.0.2.2"] };

        var script = LinuxConfigScript.Apply(desired, State)!;

        Assert.Contains("printf '%s\\n' 'core-1' > /etc/hostname; hostname 'core-1'", script, StringComparison.Ordinal);
        Assert.Contains("printf '%s\\n' 'nameserver 192.0.2.1' 'nameserver 192.0.2.2'", script, StringComparison.Ordinal);
        Assert.Contains($"rm -f {LinuxConfigScript.NtpFile}", script, StringComparison.Ordinal);
        Assert.Contains("'sysName core-1' 'sysLocation \"\"' 'sysContact noc@example.net'", script, StringComparison.Ordinal);
        Assert.Contains("kill -HUP", script, StringComparison.Ordinal);
        Assert.DoesNotContain("ip link", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_cannot_be_stored_or_would_cut_the_device_off_are_refused_by_name()
    {
        var desired = Running with
        {
            Hostname = "bad host",
            Location = "two\nlines",
            DnsServers = ["dns.example.net"],
            NtpServers = ["ntp;reboot"],
            Interfaces = [new InterfaceConfig("eth9", true, "", 1500), new InterfaceConfig("mgmt0", false, "", 1500), new InterfaceConfig("eth1;x", true, "", 50)],
            Routes = [new StaticRoute("10.9.0.1/24", "100.65.0.1"), new StaticRoute("2001:db8::/32", "2001:db8::1"), new StaticRoute("10.1.0.0/16", "a"),
                new StaticRoute("10.2.0.0/16", "100.65.0.1"), new StaticRoute("10.2.0.0/16", "100.65.0.3")],
        };

        var problems = LinuxConfigScript.Problems(desired, State);

        Assert.Equal(
            [
                "hostname 'bad host' is not a host name (letters, digits, '-' and '.', labels of 1-63, at most 253)",
                "location must be one line of at most 255 characters without leading or trailing blanks",
                "NTP server 'ntp;reboot' is neither an address nor a host name",
                "DNS server 'dns.example.net' is not an IP address",
                "interface eth9 does not exist on the device",
                "interface mgmt0 carries the management address; disabling it would cut the device off",
                "interface name 'eth1;x' is not a Linux interface name",
                "route prefix '10.9.0.1/24' has host bits set; did you mean 10.9.0.0/24?",
                "route prefix '2001:db8::/32' is not an IPv4 prefix (a.b.c.d/len); the ssh driver manages IPv4 routes",
                "route 10.1.0.0/16: next hop 'a' is not an IPv4 address",
                "routes to 10.2.0.0/16 with metric 0 via 100.65.0.1 and 100.65.0.3: Linux keeps one route per prefix and metric; give them different metrics",
            ],
            problems);
    }

    [Fact]
    public void A_failed_step_is_named_from_stderr_and_its_error_kept()
    {
        const string Stderr = "@@pdsno step interface eth1@@\n@@pdsno step route 10.7.0.0/16 via 100.65.0.1@@\nError: Nexthop has invalid gateway.\n";

        Assert.Equal("route 10.7.0.0/16 via 100.65.0.1", LinuxConfigScript.FailedStep(Stderr));
        Assert.Equal("Error: Nexthop has invalid gateway.", LinuxConfigScript.Errors(Stderr));
    }

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("ge-0/0/0", false)]
    [InlineData("bond0.100", true)]
    [InlineData("a-very-long-name-x", false)]
    [InlineData("-x", false)]
    [InlineData("eth 1", false)]
    [InlineData("", false)]
    public void Interface_names_are_what_Linux_accepts(string name, bool valid)
    {
        Assert.Equal(valid, LinuxConfigScript.IsInterfaceName(name));
    }
}
