using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.ReadModel;
using Pdsno.TestSupport.Webhooks;
using Pdsno.Webhooks.Delivery;
using Pdsno.Webhooks.Hosting;
using Pdsno.Webhooks.Storage;

namespace Pdsno.IntegrationTests.Webhooks;

/// <summary>
/// Two delivery dispatchers on one database, as two silos have: when the one running a webhook stops without letting go
/// (its silo died), the other claims the webhook once the lease lapses and resumes from the durable cursor, in order.
/// Also the connection-time address check, on the real sender.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class WebhookLeaseTests(PostgresFixture postgres)
{
    private const string Tenant = "lease-tenant";

    private static readonly WebhookOptions Options = new()
    {
        AllowLoopback = true,
        ClaimInterval = TimeSpan.FromMilliseconds(200),
        LeaseDuration = TimeSpan.FromSeconds(1),
        RetryBase = TimeSpan.FromMilliseconds(50),
        RetryMax = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task A_webhook_whose_dispatcher_died_is_taken_over_from_its_cursor_and_nothing_is_lost()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        await using var data = NpgsqlDataSource.Create(db);
        var store = new WebhookStore(data);
        await using var receiver = WebhookReceiver.Start();
        Assert.NotNull(await store.CreateAsync(Tenant, "wh_lease", new WebhookSpec(receiver.Url, [], [], 1, 0), "a secret of sixteen+", "test", 10, CancellationToken.None));

        using var first = Dispatcher(data);
        using var second = Dispatcher(data);
        await first.ClaimAsync(CancellationToken.None);
        await second.ClaimAsync(CancellationToken.None);
        Assert.Equal(1, first.Running);
        Assert.Equal(0, second.Running);

        await AppendAsync(data, 1, 5);
        await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => s.Count >= 5, TimeSpan.FromSeconds(20), "five events from the first dispatcher");

        // The first dispatcher dies holding its lease; events keep coming.
        await first.AbandonAsync();
        await AppendAsync(data, 6, 10);
        await Eventually.ValueAsync(
            async () =>
            {
                await second.ClaimAsync(CancellationToken.None);
                await Task.Delay(200);
                return second.Running;
            },
            n => n == 1,
            TimeSpan.FromSeconds(20),
            "the second dispatcher takes the webhook over");

        var received = await Eventually.ValueAsync(() => Task.FromResult(receiver.AcceptedSequences()), s => s.Distinct().Count() >= 10, TimeSpan.FromSeconds(20), "all ten events");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), received.Distinct());
        Assert.Equal(10, (await store.GetAsync(Tenant, "wh_lease", CancellationToken.None))!.DeliveredSequence);
        await second.AbandonAsync();
    }

    [Fact]
    public async Task The_sender_refuses_to_connect_to_loopback_by_name_or_address_unless_allowed()
    {
        await using var receiver = WebhookReceiver.Start();
        using var strict = new WebhookSender(new WebhookOptions(), TimeProvider.System);
        foreach (var url in new[] { receiver.Url, $"http://localhost:{receiver.Port}/hook", $"http://[::ffff:127.0.0.1]:{receiver.Port}/hook" })
        {
            var refused = await strict.SendAsync(new Uri(url), "wh_x", "a secret of sixteen+", "{}"u8.ToArray(), 1, 1, 1, CancellationToken.None);
            Assert.False(refused.Succeeded);
            Assert.Null(refused.StatusCode);
            Assert.StartsWith("refused:", refused.Error, StringComparison.Ordinal);
        }

        Assert.Empty(receiver.Received);
        using var allowing = new WebhookSender(new WebhookOptions { AllowLoopback = true }, TimeProvider.System);
        var sent = await allowing.SendAsync(new Uri(receiver.Url), "wh_x", "a secret of sixteen+", "{\"events\":[]}"u8.ToArray(), 1, 1, 1, CancellationToken.None);
        Assert.Equal(204, sent.StatusCode);
        Assert.Single(receiver.Received);
    }

    private static WebhookDispatcher Dispatcher(NpgsqlDataSource data) =>
        new(
            new WebhookStore(data),
            new TopologyReader(data, new SqlStatementCounter()),
            new WebhookSender(Options, TimeProvider.System),
            new PollingWakeups(),
            Microsoft.Extensions.Options.Options.Create(Options),
            TimeProvider.System,
            NullLogger<WebhookDispatcher>.Instance);

    private static async Task AppendAsync(NpgsqlDataSource data, int from, int to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            await using var command = data.CreateCommand("""
                INSERT INTO events (tenant, seq, type, aggregate_id, aggregate_version, ordinal, region, occurred_at)
                VALUES ($1, $2, 'RegionChanged', 'test', $2, 0, 'r1', now())
                """);
            command.Parameters.AddWithValue(Tenant);
            command.Parameters.AddWithValue((long)seq);
            await command.ExecuteNonQueryAsync();
        }
    }
}
