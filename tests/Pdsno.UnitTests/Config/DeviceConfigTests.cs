using Pdsno.Abstractions.Config;

namespace Pdsno.UnitTests.Config;

public sealed class DeviceConfigTests
{
    private static readonly DeviceConfig Config = new(
        "r1", "hall 1", "noc", ["192.0.2.1", "192.0.2.2"], ["192.0.2.53"],
        [new InterfaceConfig("eth0", true, "", 1500), new InterfaceConfig("eth1", false, "uplink", 9000)],
        [new StaticRoute("10.0.0.0/8", "10.1.1.1"), new StaticRoute("10.9.0.0/16", "10.1.1.2", "eth1", 5)]);

    [Fact]
    public void Two_configs_are_the_same_whatever_the_order_of_interfaces_and_routes_and_repeated_or_padded_servers()
    {
        var shuffled = Config with
        {
            NtpServers = ["192.0.2.1", " 192.0.2.2", "192.0.2.1"],
            Interfaces = [.. Config.Interfaces.Reverse()],
            Routes = [.. Config.Routes.Reverse()],
        };

        Assert.True(Config.SameAs(shuffled));
        Assert.Empty(ConfigDiff.Compute(Config, shuffled));
        Assert.Equal(Config.Hash(), shuffled.Hash());
    }

    [Theory]
    [InlineData("hostname")]
    [InlineData("ntp")]
    [InlineData("mtu")]
    [InlineData("metric")]
    public void Any_setting_that_differs_makes_them_differ_and_the_diff_names_it(string what)
    {
        var other = what switch
        {
            "hostname" => Config with { Hostname = "r2" },
            "ntp" => Config with { NtpServers = ["192.0.2.2", "192.0.2.1"] },
            "mtu" => Config with { Interfaces = [Config.Interfaces[0], Config.Interfaces[1] with { Mtu = 1500 }] },
            _ => Config with { Routes = [Config.Routes[0], Config.Routes[1] with { Metric = 6 }] },
        };

        Assert.False(Config.SameAs(other));
        Assert.NotEmpty(ConfigDiff.Compute(Config, other));
        Assert.NotEqual(Config.Hash(), other.Hash());
        Assert.False(Config.SameAs(null));
    }

    [Fact]
    public void The_unified_diff_shows_hunks_with_three_lines_of_context_that_turn_the_old_text_into_the_new()
    {
        var routes = Enumerable.Range(0, 200).Select(i => new StaticRoute($"10.{i / 256}.{i % 256}.0/24", "10.1.1.1")).ToList();
        var before = Config with { Routes = [.. routes] };
        routes.RemoveAt(120);
        routes.Add(new StaticRoute("172.16.0.0/12", "10.1.1.2"));
        var after = before with { Hostname = "r1-new", Routes = [.. routes] };

        var text = ConfigDiff.Unified("r1", before, after);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Count(l => l.StartsWith("@@ ", StringComparison.Ordinal)));
        Assert.True(lines.Length < 40, text);
        Assert.Contains("-hostname r1", lines);
        Assert.Contains("+hostname r1-new", lines);
        Assert.Equal(ConfigDiff.Lines(after), Patch(ConfigDiff.Lines(before), lines));
    }

    // Applies a unified diff's hunks to the old text, checking every context and removed line where the header says.
    private static List<string> Patch(IReadOnlyList<string> old, string[] diff)
    {
        var result = new List<string>();
        var at = 0;
        foreach (var line in diff.Skip(2))
        {
            if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                var from = line.Split(' ')[1].TrimStart('-').Split(',');
                var start = int.Parse(from[0], System.Globalization.CultureInfo.InvariantCulture) - (from[1] == "0" ? 0 : 1);
                result.AddRange(old.Skip(at).Take(start - at));
                at = start;
                continue;
            }

            switch (line[0])
            {
                case ' ':
                    Assert.Equal(old[at++], line[1..]);
                    result.Add(line[1..]);
                    break;
                case '-':
                    Assert.Equal(old[at++], line[1..]);
                    break;
                default:
                    result.Add(line[1..]);
                    break;
            }
        }

        result.AddRange(old.Skip(at));
        return result;
    }
}
