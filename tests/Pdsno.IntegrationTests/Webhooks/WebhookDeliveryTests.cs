using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;
using Pdsno.TestSupport.Webhooks;
using Pdsno.Webhooks.Delivery;

namespace Pdsno.IntegrationTests.Webhooks;

/// <summary>
/// Webhooks of a real silo delivering to a real HTTP receiver on 127.0.0.1: signed, in order, at least once, through a
/// receiver that goes away, fails or hangs. Events come from renaming a region (one REGION_CHANGED event each), and each
/// webhook listens to those only, so discovery's events do not interleave.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class WebhookDeliveryTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    /// <summary>Loopback allowed for the receiver; fast retries and a short timeout so failures play out in seconds.</summary>
    internal static readonly Dictionary<string, string> Settings = new()
    {
        ["Webhooks:AllowLoopback"] = "true",
        ["Webhooks:MaxAttempts"] = "3",
        ["Webhooks:RetryBase"] = "00:00:00.050",
        ["Webhooks:RetryMax"] = "00:00:00.200",
        ["Webhooks:RequestTimeout"] = "00:00:01",
        ["Webhooks:ClaimInterval"] = "00:00:00.500",
        ["Webhooks:LeaseDuration"] = "00:00:02",
    };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static int _names;

    [Fact]
    public async Task A_delivery_is_signed_and_the_readme_recipe_verifies_it()
    {
        var silo = await host.StartAsync(postgres, Settings);
        await using var receiver = WebhookReceiver.Start();
        var (id, secret) = await CreateAsync(silo, receiver.Url, "region-1");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var expected = await RenameAsync(silo, "region-1", 1);

        var delivery = await Eventually.ValueAsync(() => Task.FromResult(receiver.Accepted.FirstOrDefault()), d => d is not null, Patience, "a delivery");
        Assert.Equal(expected, delivery!.Sequences);
        Assert.Equal(id, delivery.Headers[WebhookSignature.WebhookHeader]);
        Assert.Equal(expected[0].ToString(System.Globalization.CultureInfo.InvariantCulture), delivery.Headers[WebhookSignature.SequenceHeader]);
        var timestamp = delivery.Headers[WebhookSignature.TimestampHeader];
        var signature = delivery.Headers[WebhookSignature.SignatureHeader];
        Assert.True(WebhookSignature.Verify(secret, timestamp, delivery.Body, signature));
        Assert.False(WebhookSignature.Verify("another secret of enough length", timestamp, delivery.Body, signature));
        var body = JsonNode.Parse(delivery.Body)!;
        Assert.Equal("REGION_CHANGED", body["events"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("region-1", body["events"]![0]!["region"]!.GetValue<string>());

        // The README's shell recipe, run as a receiver's operator would, accepts the real delivery and refuses a changed body.
        Assert.Equal("valid", await ReadmeRecipe.RunAsync(secret, timestamp, delivery.Body, signature));
        Assert.Equal("INVALID", await ReadmeRecipe.RunAsync(secret, timestamp, [.. delivery.Body, (byte)' '], signature));

        // The secret is shown once: the list never carries it.
        var listed = await silo.DataAsync(silo.Token("admin"), "{ webhooks { id url status } }");
        Assert.DoesNotContain(secret, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, silo.Silo.Output, StringComparison.Ordinal);
        await DeleteAsync(silo, id);
    }

    [Fact]
    public async Task A_receiver_that_goes_away_and_comes_back_gets_every_event_in_order()
    {
        var silo = await host.StartAsync(postgres, Settings);
        await using var receiver = WebhookReceiver.Start();
        var (id, _) = await CreateAsync(silo, receiver.Url, "region-2");
        var sent = await RenameAsync(silo, "region-2", 5);
        await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => sent.All(s.Contains), Patience, "the first five events");

        await receiver.StopAsync();
        sent.AddRange(await RenameAsync(silo, "region-2", 5));
        // Refused connections are retried until the attempts run out; resume brings it back, as an admin would.
        await Eventually.ValueAsync(() => StatusAsync(silo, id), s => s == "DEAD_LETTER", Patience, "dead letter while the receiver is away");
        receiver.Resume();
        await silo.DataAsync(silo.Token("admin"), "mutation($id: ID!) { resumeWebhook(input: {webhookId: $id}) { errors { code } } }", new JsonObject { ["id"] = id });
        sent.AddRange(await RenameAsync(silo, "region-2", 5));

        var received = await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => sent.All(s.Contains), Patience, "all fifteen events");
        Assert.Equal(sent, received.Distinct());
        await DeleteAsync(silo, id);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_then_dead_lettered_and_redelivery_sends_again()
    {
        var silo = await host.StartAsync(postgres, Settings);
        await using var receiver = WebhookReceiver.Start();
        receiver.Mode = ReceiverMode.Fail;
        var (id, _) = await CreateAsync(silo, receiver.Url, "region-1");
        var sent = await RenameAsync(silo, "region-1", 2);

        await Eventually.ValueAsync(() => StatusAsync(silo, id), s => s == "DEAD_LETTER", Patience, "dead letter");
        var deliveries = await silo.DataAsync(silo.Token("admin"), "query($id: ID!) { webhookDeliveries(webhookId: $id, first: 10) { totalCount nodes { firstSequence lastSequence attempt statusCode succeeded } } }", new JsonObject { ["id"] = id });
        var attempts = deliveries["webhookDeliveries"]!["nodes"]!.AsArray();
        Assert.Equal([1, 2, 3], attempts.Select(a => a!["attempt"]!.GetValue<int>()));
        Assert.All(attempts, a => Assert.Equal(500, a!["statusCode"]!.GetValue<int>()));
        Assert.All(attempts, a => Assert.Equal(sent[0], a!["firstSequence"]!.GetValue<long>()));
        Assert.Equal(3, receiver.Received.Count);

        receiver.Mode = ReceiverMode.Ok;
        var redelivered = await silo.DataAsync(silo.Token("admin"), "mutation($id: ID!, $from: Long!) { redeliverWebhook(input: {webhookId: $id, fromSequence: $from}) { webhook { status } errors { code } } }", new JsonObject { ["id"] = id, ["from"] = sent[0] });
        Assert.Equal("ACTIVE", redelivered["redeliverWebhook"]!["webhook"]!["status"]!.GetValue<string>());
        var received = await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => sent.All(s.Contains), Patience, "redelivered events");
        Assert.Equal(sent, received.Distinct());

        // Redelivery from an earlier sequence sends the first event again, then the second.
        receiver.Accepted.Clear();
        await silo.DataAsync(silo.Token("admin"), "mutation($id: ID!, $from: Long!) { redeliverWebhook(input: {webhookId: $id, fromSequence: $from}) { errors { code } } }", new JsonObject { ["id"] = id, ["from"] = sent[0] });
        var again = await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => sent.All(s.Contains), Patience, "events sent again");
        Assert.Equal(sent, again.Distinct());
        await DeleteAsync(silo, id);
    }

    [Fact]
    public async Task A_hanging_receiver_is_cut_off_by_the_timeout_and_batches_carry_several_events()
    {
        var silo = await host.StartAsync(postgres, Settings);
        await using var receiver = WebhookReceiver.Start();
        receiver.Mode = ReceiverMode.Hang;
        var (hung, _) = await CreateAsync(silo, receiver.Url, "region-1");
        await RenameAsync(silo, "region-1", 1);
        var cutOff = await Eventually.ValueAsync(
            async () => (await silo.DataAsync(silo.Token("admin"), "query($id: ID!) { webhookDeliveries(webhookId: $id, first: 1) { nodes { error statusCode } } }", new JsonObject { ["id"] = hung }))["webhookDeliveries"]!["nodes"]!.AsArray(),
            n => n.Count > 0,
            Patience,
            "an attempt cut off");
        Assert.Contains("timed out", cutOff[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(cutOff[0]!["statusCode"]);
        await DeleteAsync(silo, hung);

        // Events that wait while a batching webhook is paused go out in full batches once it resumes.
        await using var batchReceiver = WebhookReceiver.Start();
        var (batched, _) = await CreateAsync(silo, batchReceiver.Url, "region-1", maxEvents: 4, maxDelayMs: 200);
        await silo.DataAsync(silo.Token("admin"), "mutation($id: ID!) { pauseWebhook(input: {webhookId: $id}) { errors { code } } }", new JsonObject { ["id"] = batched });
        var sent = await RenameAsync(silo, "region-1", 8);
        await silo.DataAsync(silo.Token("admin"), "mutation($id: ID!) { resumeWebhook(input: {webhookId: $id}) { errors { code } } }", new JsonObject { ["id"] = batched });
        await Eventually.ValueAsync(() => Task.FromResult(batchReceiver.AcceptedSequences()), s => sent.All(s.Contains), Patience, "eight events in batches");
        Assert.Equal([sent[..4], sent[4..]], batchReceiver.Accepted.Select(d => d.Sequences.ToList()));
        Assert.Equal($"{sent[0]}-{sent[3]}", batchReceiver.Accepted.First().Headers[WebhookSignature.SequenceHeader]);
        await DeleteAsync(silo, batched);
    }

    [Fact]
    public async Task Bad_input_is_a_typed_error_naming_the_field_and_stores_nothing()
    {
        var silo = await host.StartAsync(postgres, Settings);
        var admin = silo.Token("admin");
        var before = await CountAsync(silo, admin);
        (string Input, string Code, string Field)[] cases =
        [
            ("{url: \"ftp://example.net/hook\"}", "BAD_USER_INPUT", "input.url"),
            ("{url: \"not a url\"}", "BAD_USER_INPUT", "input.url"),
            ("{url: \"http://user:pw@example.net/\"}", "BAD_USER_INPUT", "input.url"),
            ("{url: \"http://169.254.169.254/latest\"}", "BAD_USER_INPUT", "input.url"),
            ("{url: \"http://[fe80::1]/hook\"}", "BAD_USER_INPUT", "input.url"),
            ("{url: \"http://example.net/\", eventTypes: [\"LINK_DOWN\", \"NO_SUCH_TYPE\"]}", "BAD_USER_INPUT", "input.eventTypes.1"),
            ("{url: \"http://example.net/\", regionIds: [\"no-such-region\"]}", "NOT_FOUND", "input.regionIds.0"),
            ("{url: \"http://example.net/\", batch: {maxEvents: 0}}", "BAD_USER_INPUT", "input.batch.maxEvents"),
            ("{url: \"http://example.net/\", batch: {maxEvents: 5, maxDelayMs: 600000}}", "BAD_USER_INPUT", "input.batch.maxDelayMs"),
            ("{url: \"http://example.net/\", secret: \"short\"}", "BAD_USER_INPUT", "input.secret"),
        ];
        foreach (var (input, code, field) in cases)
        {
            var payload = (await silo.DataAsync(admin, $"mutation {{ createWebhook(input: {input}) {{ webhook {{ id }} secret errors {{ code field }} }} }}"))["createWebhook"]!;
            Assert.Null(payload["webhook"]);
            Assert.Null(payload["secret"]);
            var error = Assert.Single(payload["errors"]!.AsArray());
            Assert.Equal((code, field), (error!["code"]!.GetValue<string>(), string.Join('.', error["field"]!.AsArray().Select(f => f!.GetValue<string>()))));
        }

        var redeliver = (await silo.DataAsync(admin, "mutation { redeliverWebhook(input: {webhookId: \"nope\", fromSequence: 0}) { errors { code field } } }"))["redeliverWebhook"]!["errors"]![0]!;
        Assert.Equal("input.fromSequence", string.Join('.', redeliver["field"]!.AsArray().Select(f => f!.GetValue<string>())));
        Assert.Equal(before, await CountAsync(silo, admin));
    }

    [Fact]
    public async Task Only_admins_manage_webhooks_and_nobody_sees_another_tenants_or_regions_webhooks()
    {
        var silo = await host.StartAsync(postgres, Settings);
        await using var receiver = WebhookReceiver.Start();
        var (id, _) = await CreateAsync(silo, receiver.Url, "region-2");
        JsonObject Variables() => new() { ["id"] = id };

        var (_, refused) = await silo.PostAsync(silo.Token("operator"), "mutation { createWebhook(input: {url: \"http://example.net/\"}) { errors { code } } }");
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(refused));
        (_, refused) = await silo.PostAsync(silo.Token("viewer"), "{ webhooks { id } }");
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(refused));

        // An admin of region-1 neither sees the region-2 webhook nor makes one for region-2.
        var regionAdmin = await silo.CreateTokenAsync(silo.Token("admin"), "admin-r1", ["admin"], ["region-1"]);
        Assert.DoesNotContain(id, (await silo.DataAsync(regionAdmin, "{ webhooks { id } }")).ToJsonString(), StringComparison.Ordinal);
        var outside = (await silo.DataAsync(regionAdmin, "mutation { createWebhook(input: {url: \"http://example.net/\", regionIds: [\"region-2\"]}) { webhook { id } errors { code field } } }"))["createWebhook"]!;
        Assert.Equal("FORBIDDEN", outside["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("input.regionIds.0", string.Join('.', outside["errors"]![0]!["field"]!.AsArray().Select(f => f!.GetValue<string>())));
        var (_, deliveries) = await silo.PostAsync(regionAdmin, "query($id: ID!) { webhookDeliveries(webhookId: $id, first: 1) { totalCount } }", Variables());
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(deliveries));

        // Another tenant's admin: the webhook does not exist for it.
        var other = (await silo.DataAsync(silo.Token("admin"), "mutation { createTenant(input: {id: \"webhook-tenant\"}) { secret errors { code } } }"))["createTenant"]!["secret"]!.GetValue<string>();
        Assert.Equal("[]", (await silo.DataAsync(other, "{ webhooks { id } }"))["webhooks"]!.ToJsonString());
        (_, deliveries) = await silo.PostAsync(other, "query($id: ID!) { webhookDeliveries(webhookId: $id, first: 1) { totalCount } }", Variables());
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(deliveries));
        foreach (var mutation in new[] { "pauseWebhook", "resumeWebhook", "deleteWebhook" })
        {
            var answer = await silo.DataAsync(other, $"mutation($id: ID!) {{ {mutation}(input: {{webhookId: $id}}) {{ webhook {{ id }} errors {{ code }} }} }}", Variables());
            Assert.Equal("NOT_FOUND", answer[mutation]!["errors"]![0]!["code"]!.GetValue<string>());
        }

        Assert.Equal("ACTIVE", await StatusAsync(silo, id));
        await DeleteAsync(silo, id);
    }

    private static async Task<int> CountAsync(SecuredSilo silo, string token) =>
        (await silo.DataAsync(token, "{ webhooks { id } }"))["webhooks"]!.AsArray().Count;

    internal static async Task<(string Id, string Secret)> CreateAsync(SecuredSilo silo, string url, string region, int maxEvents = 1, int maxDelayMs = 0)
    {
        var created = await silo.DataAsync(silo.Token("admin"), """
            mutation($url: String!, $region: ID!, $max: Int, $delay: Int) {
              createWebhook(input: {url: $url, eventTypes: ["REGION_CHANGED"], regionIds: [$region], batch: {maxEvents: $max, maxDelayMs: $delay}}) {
                webhook { id status } secret errors { code message field } } }
            """, new JsonObject { ["url"] = url, ["region"] = region, ["max"] = maxEvents, ["delay"] = maxDelayMs });
        var payload = created["createWebhook"]!;
        Assert.True(payload["errors"]!.AsArray().Count == 0, payload.ToJsonString());
        return (payload["webhook"]!["id"]!.GetValue<string>(), payload["secret"]!.GetValue<string>());
    }

    /// <summary>Renames a region <paramref name="times"/> times; the sequences of the REGION_CHANGED events, in order.</summary>
    internal static async Task<List<long>> RenameAsync(SecuredSilo silo, string region, int times)
    {
        var q = new ReadModelQueries(silo.ConnectionString);
        var before = await q.ScalarAsync("SELECT coalesce(max(seq), 0) FROM events WHERE type = 'RegionChanged' AND region = $1", region);
        for (var i = 0; i < times; i++)
        {
            var name = $"{region} name {Interlocked.Increment(ref _names)}";
            await silo.DataAsync(silo.Token("admin"), "mutation($id: ID!, $name: String!) { renameRegion(input: {id: $id, name: $name}) { errors { code } } }", new JsonObject { ["id"] = region, ["name"] = name });
        }

        var events = await q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE type = 'RegionChanged' AND region = $1 AND seq > $2 ORDER BY seq", region, before);
        Assert.Equal(times, events.Count);
        return [.. events.Select(e => e.Seq)];
    }

    private static async Task<string> StatusAsync(SecuredSilo silo, string id) =>
        (await silo.DataAsync(silo.Token("admin"), "{ webhooks { id status } }"))["webhooks"]!.AsArray()
            .Single(w => w!["id"]!.GetValue<string>() == id)!["status"]!.GetValue<string>();

    private static async Task DeleteAsync(SecuredSilo silo, string id) =>
        await silo.DataAsync(silo.Token("admin"), "mutation($id: ID!) { deleteWebhook(input: {webhookId: $id}) { errors { code } } }", new JsonObject { ["id"] = id });
}

/// <summary>Runs the signature recipe of the README (its ```bash block after the marker) with bash and openssl.</summary>
internal static class ReadmeRecipe
{
    private const string Marker = "<!-- webhook-verify -->";

    public static async Task<string> RunAsync(string secret, string timestamp, byte[] body, string signature)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has no webhook verification recipe");
        var open = readme.IndexOf("```bash\n", start, StringComparison.Ordinal) + "```bash\n".Length;
        var script = readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)];
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(bodyFile, body);
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.Environment["WEBHOOK_SECRET"] = secret;
            psi.Environment["TIMESTAMP"] = timestamp;
            psi.Environment["SIGNATURE"] = signature;
            psi.Environment["BODY_FILE"] = bodyFile;
            using var process = System.Diagnostics.Process.Start(psi)!;
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Trim().Length > 0 ? output.Trim() : $"(no output; exit {process.ExitCode}: {errors})";
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }
}
