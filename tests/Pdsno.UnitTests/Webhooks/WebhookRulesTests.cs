using System.Net;
using System.Text;
using System.Text.Json;
using Pdsno.Abstractions.Events;
using Pdsno.Storage.ReadModel;
using Pdsno.Webhooks.Delivery;

namespace Pdsno.UnitTests.Webhooks;

public sealed class WebhookRulesTests
{
    private static readonly AddressPolicy Default = new(allowLoopback: false, allowLinkLocal: false, allowPrivate: true);

    [Fact]
    public void A_webhook_limited_to_regions_never_carries_audit_events_and_a_tenant_wide_one_does()
    {
        var audit = new EventRecord(5, TopologyEventType.PermissionDenied, "r1", null, null, null, null, "x", DateTimeOffset.UtcNow, "someone");
        var linkDown = audit with { Type = TopologyEventType.LinkDown };
        var regional = WebhookDispatcher.QueryOf(Webhook(["r1"]));
        var tenantWide = WebhookDispatcher.QueryOf(Webhook([]));

        Assert.False(regional.Matches(audit));
        Assert.True(regional.Matches(linkDown));
        Assert.True(tenantWide.Matches(audit));
    }

    private static Pdsno.Webhooks.Storage.WebhookRecord Webhook(IReadOnlyList<string> regions) =>
        new("t", "w1", "https://receiver.example/hook", [], regions, 1, 0, Pdsno.Webhooks.Storage.WebhookStatus.Active, 0, 0, null, null, DateTimeOffset.UtcNow, "admin", 1);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    public void Loopback_link_local_and_non_host_addresses_are_refused_by_default(string address) =>
        Assert.NotNull(Default.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2001:db8::10")]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.1.20")]
    [InlineData("fd00::5")]
    public void Public_and_private_addresses_are_allowed_by_default(string address) =>
        Assert.Null(Default.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void Settings_widen_or_narrow_the_policy()
    {
        var strict = new AddressPolicy(allowLoopback: false, allowLinkLocal: false, allowPrivate: false);
        Assert.Contains("private", strict.Refusal(IPAddress.Parse("172.20.0.1")), StringComparison.Ordinal);
        Assert.Null(strict.Refusal(IPAddress.Parse("172.32.0.1")));
        var loose = new AddressPolicy(allowLoopback: true, allowLinkLocal: true, allowPrivate: true);
        Assert.Null(loose.Refusal(IPAddress.Loopback));
        Assert.Null(loose.Refusal(IPAddress.Parse("169.254.1.1")));
    }

    [Theory]
    [InlineData("ftp://example.net/x", "http or https")]
    [InlineData("example.net/hook", "absolute")]
    [InlineData("https://user:secret@example.net/", "user name")]
    [InlineData("", "required")]
    public void Malformed_urls_are_refused_with_a_reason(string url, string reason)
    {
        Assert.Contains(reason, WebhookUrl.Problem(url, out var parsed), StringComparison.Ordinal);
        Assert.Null(parsed);
    }

    [Fact]
    public async Task A_literal_or_named_loopback_url_is_refused_at_creation()
    {
        Assert.NotNull(await WebhookUrl.AddressProblemAsync(new Uri("http://127.0.0.1:9000/"), Default, CancellationToken.None));
        Assert.NotNull(await WebhookUrl.AddressProblemAsync(new Uri("http://[::1]/"), Default, CancellationToken.None));
        Assert.NotNull(await WebhookUrl.AddressProblemAsync(new Uri("http://localhost/"), Default, CancellationToken.None));
        Assert.Null(await WebhookUrl.AddressProblemAsync(new Uri("http://10.0.0.8/"), Default, CancellationToken.None));
    }

    [Fact]
    public void The_signature_is_the_hmac_of_timestamp_dot_body_and_any_change_breaks_it()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        // The same value `printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_abc` prints.
        Assert.Equal("sha256=3b843bacfb18cc5554542fdcc84d815b399c52758e508a6fcecf0a2af4efea2b", WebhookSignature.Sign("whsec_abc", "1700000000", body));
        var signature = WebhookSignature.Sign("whsec_abc", "1700000000", body);
        Assert.True(WebhookSignature.Verify("whsec_abc", "1700000000", body, signature));
        Assert.False(WebhookSignature.Verify("whsec_abc", "1700000001", body, signature));
        Assert.False(WebhookSignature.Verify("whsec_abd", "1700000000", body, signature));
        Assert.NotEqual(WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var baseDelay = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(60);
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Delay(1, baseDelay, max, 0.999999).RoundTo());
        Assert.Equal(TimeSpan.FromSeconds(0.5), Backoff.Delay(1, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(4), Backoff.Delay(4, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(20, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(1000, baseDelay, max, 0));
    }

    [Fact]
    public void A_batch_body_carries_the_events_in_order_and_is_cut_to_fit_the_bound()
    {
        var events = Enumerable.Range(1, 40)
            .Select(i => new EventRecord(i, TopologyEventType.DeviceStatusChanged, "r1", "d" + i, null, null, "ACTIVE", new string('x', 200), DateTimeOffset.UnixEpoch))
            .ToList();
        var (all, count) = WebhookBody.Build("wh_1", events, 1 << 20);
        Assert.Equal(40, count);
        using var json = JsonDocument.Parse(all);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal("DEVICE_STATUS_CHANGED", json.RootElement.GetProperty("events")[0].GetProperty("type").GetString());

        var (cut, fitting) = WebhookBody.Build("wh_1", events, 4096);
        Assert.InRange(fitting, 1, 39);
        Assert.True(cut.Length <= 4096);
        Assert.Equal(TopologyEventType.LinkDown, WebhookBody.ParseType("LINK_DOWN"));
        Assert.Null(WebhookBody.ParseType("LinkDown"));
    }
}

internal static class TimeSpanRounding
{
    public static TimeSpan RoundTo(this TimeSpan value) => TimeSpan.FromMilliseconds(Math.Round(value.TotalMilliseconds));
}
