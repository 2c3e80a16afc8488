using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Lab;

/// <summary>A silo process that discovers the lab over SNMP and configures it over SSH, and GraphQL calls to it.</summary>
internal static class LabSilo
{
    /// <summary>Starts the silo on <paramref name="db"/> and waits until every lab link is UP in its read model.</summary>
    public static async Task<SiloProcess> StartAsync(string db, ReadModelQueries q, LabFixture lab)
    {
        var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Discovery:Driver"] = "snmp",
            ["Discovery:Targets:0"] = "100.64.0.10-13",
            ["Discovery:Regions:0"] = "lab",
            ["Discovery:Interval"] = "00:00:02",
            ["Discovery:Snmp:Community"] = lab.Description.Community,
            ["Discovery:Snmp:TimeoutMs"] = "300",
            ["Discovery:Snmp:Retries"] = "1",
            ["Simulation:Enabled"] = "false",
            ["ConfigDrivers:Driver"] = "ssh",
            ["ConfigDrivers:Ssh:KeyPath"] = SshConfigDriverTests.ClientKey,
        });
        try
        {
            await silo.WaitReadyAsync();
            await Eventually.ValueAsync(
                () => q.ScalarAsync("SELECT count(*) FROM links WHERE status = 'UP'"), n => n == lab.Description.Links.Count, TimeSpan.FromSeconds(90), "every lab link up");
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>A token of <paramref name="role"/> made by the silo's admin.</summary>
    public static async Task<string> TokenAsync(SiloProcess silo, string role)
    {
        var data = await DataAsync(silo, silo.AdminToken, $"mutation {{ createApiToken(input: {{name: \"lab-{role}\", roles: [\"{role}\"]}}) {{ secret }} }}");
        return data["createApiToken"]!["secret"]!.GetValue<string>();
    }

    /// <summary>The data of a GraphQL operation that must answer without errors.</summary>
    public static async Task<JsonNode> DataAsync(SiloProcess silo, string token, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var http = new HttpClient { BaseAddress = silo.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        // An internal error is explained only in the silo's log: its last lines go with the failure.
        Assert.True(body["errors"] is null, $"{body.ToJsonString()}\nsilo log, last lines:\n{Tail(silo.Output, 60)}");
        return body["data"]!;
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }
}
