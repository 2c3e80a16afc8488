using System.Net;
using System.Net.Sockets;
using Pdsno.Discovery.Snmp;

namespace Pdsno.UnitTests.Snmp;

public sealed class SnmpClientTests : IAsyncDisposable
{
    private static readonly Oid System = Oid.Parse("1.3.6.1.2.1.1");
    private static readonly Oid SysDescr0 = Oid.Parse("1.3.6.1.2.1.1.1.0");
    private static readonly Oid SysName0 = Oid.Parse("1.3.6.1.2.1.1.5.0");
    private static readonly Oid IfDescr = Oid.Parse("1.3.6.1.2.1.2.2.1.2");
    private static readonly Oid IfHcInOctets = Oid.Parse("1.3.6.1.2.1.31.1.1.1.6");

    private readonly SimulatedSnmpAgent _agent = new(Table());

    public async ValueTask DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Get_returns_values_and_the_v2c_exceptions_for_what_is_missing()
    {
        await using var client = new SnmpClient(Fast());

        var result = await client.GetAsync(_agent.Target(), [SysDescr0, SysName0, Oid.Parse("1.3.6.1.2.1.1.5.1"), Oid.Parse("1.3.6.1.2.1.99.0")]);

        Assert.Equal("Linux lab-r1 6.1.0", result[0].Value.AsString());
        Assert.Equal("lab-r1", result[1].Value.AsString());
        Assert.Equal(SnmpValue.NoSuchInstance, result[2].Value);
        Assert.Equal(SnmpValue.NoSuchObject, result[3].Value);
    }

    [Fact]
    public async Task GetNext_returns_the_successor_and_endOfMibView_past_the_last_oid()
    {
        await using var client = new SnmpClient(Fast());

        var result = await client.GetNextAsync(_agent.Target(), [System, IfHcInOctets.Append(500)]);

        Assert.Equal(SysDescr0, result[0].Oid);
        Assert.Equal(IfHcInOctets.Append(500), result[1].Oid);
        Assert.Equal(SnmpType.EndOfMibView, result[1].Value.Type);
    }

    [Fact]
    public async Task Bulk_walk_of_a_500_row_column_returns_every_row_in_order_and_stops_at_the_subtree_end()
    {
        await using var client = new SnmpClient(Fast());

        var rows = await client.WalkAsync(_agent.Target(), IfDescr, useBulk: true, maxRepetitions: 25).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 500).Select(i => IfDescr.Append((uint)i)), rows.Select(r => r.Oid));
        Assert.Equal("eth499", rows[^2].Value.AsString());

        // 20 full pages, then one page whose first varbind has left ifDescr and ends the walk.
        Assert.Equal(21, _agent.RequestsReceived);
    }

    [Fact]
    public async Task GetNext_walk_sees_the_same_subtree_as_a_bulk_walk()
    {
        await using var client = new SnmpClient(Fast());

        var byNext = await client.WalkAsync(_agent.Target(), System, useBulk: false).ToListAsync();
        var byBulk = await client.WalkAsync(_agent.Target(), System, useBulk: true, maxRepetitions: 3).ToListAsync();

        Assert.Equal(6, byNext.Count);
        Assert.Equal(byNext, byBulk);
        Assert.All(byNext, v => Assert.True(System.IsPrefixOf(v.Oid)));
    }

    [Fact]
    public async Task Walk_of_the_last_subtree_ends_at_endOfMibView()
    {
        await using var client = new SnmpClient(Fast());

        var rows = await client.WalkAsync(_agent.Target(), IfHcInOctets, maxRepetitions: 7).ToListAsync();

        Assert.Equal(500, rows.Count);
        Assert.Equal(ulong.MaxValue - 500, rows[^1].Value.AsUInt64());
    }

    [Fact]
    public async Task An_agent_that_loops_stops_the_walk_with_an_error()
    {
        _agent.LoopAt = IfDescr.Append(100);
        await using var client = new SnmpClient(Fast());

        var seen = new List<VarBind>();
        var e = await Assert.ThrowsAsync<SnmpWalkException>(async () =>
        {
            await foreach (var row in client.WalkAsync(_agent.Target(), IfDescr, maxRepetitions: 30))
            {
                seen.Add(row);
            }
        });

        Assert.Equal(100, seen.Count);
        Assert.Contains("must increase", e.Message, StringComparison.Ordinal);
        Assert.Contains(_agent.EndPoint.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runaway_walk_stops_at_the_configured_limit()
    {
        var options = Fast();
        options.MaxWalkVarBinds = 120;
        await using var client = new SnmpClient(options);

        await Assert.ThrowsAsync<SnmpWalkException>(async () => await client.WalkAsync(_agent.Target(), IfDescr).ToListAsync());
    }

    [Fact]
    public async Task A_silent_agent_times_out_after_every_retry_was_sent()
    {
        _agent.DropAll = true;
        var options = Fast();
        options.Timeout = TimeSpan.FromMilliseconds(150);
        options.Retries = 2;
        await using var client = new SnmpClient(options);

        var e = await Assert.ThrowsAsync<SnmpTimeoutException>(() => client.GetAsync(_agent.Target(), [SysDescr0]));

        Assert.Equal(3, _agent.RequestsReceived);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(_agent.EndPoint, e.Target);
        Assert.Contains(_agent.EndPoint.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_recovers_a_dropped_request()
    {
        _agent.DropFirst = 1;
        await using var client = new SnmpClient(Fast());

        var result = await client.GetAsync(_agent.Target(), [SysName0]);

        Assert.Equal("lab-r1", result[0].Value.AsString());
        Assert.Equal(2, _agent.RequestsReceived);
    }

    [Fact]
    public async Task A_late_answer_to_an_earlier_attempt_is_accepted()
    {
        _agent.ResponseDelay = TimeSpan.FromMilliseconds(300);
        var options = Fast();
        options.Timeout = TimeSpan.FromMilliseconds(200);
        options.Retries = 3;
        await using var client = new SnmpClient(options);

        var result = await client.GetAsync(_agent.Target(), [SysName0]);

        // Each answer arrives after its own attempt timed out, so only accepting a late answer can succeed.
        Assert.Equal("lab-r1", result[0].Value.AsString());
        Assert.InRange(_agent.RequestsReceived, 2, 4);
    }

    [Fact]
    public async Task A_wrong_community_gets_no_answer_and_times_out()
    {
        var options = Fast();
        options.Timeout = TimeSpan.FromMilliseconds(150);
        await using var client = new SnmpClient(options);

        var e = await Assert.ThrowsAsync<SnmpTimeoutException>(() => client.GetAsync(_agent.Target("private"), [SysDescr0]));

        Assert.Equal(0, _agent.RequestsReceived);
        Assert.DoesNotContain("private", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SnmpErrorStatus.AuthorizationError)]
    [InlineData(SnmpErrorStatus.GenErr)]
    [InlineData(SnmpErrorStatus.NoSuchName)]
    public async Task An_error_status_surfaces_as_a_typed_exception_naming_the_oid(SnmpErrorStatus status)
    {
        _agent.ErrorStatus = status;
        _agent.ErrorIndex = 2;
        await using var client = new SnmpClient(Fast());

        var e = await Assert.ThrowsAsync<SnmpErrorException>(() => client.GetAsync(_agent.Target(), [SysDescr0, SysName0]));

        Assert.Equal(status, e.Status);
        Assert.Equal(2, e.ErrorIndex);
        Assert.Equal(SysName0, e.Oid);
        Assert.Equal(1, _agent.RequestsReceived);
    }

    [Fact]
    public async Task Answers_from_another_port_or_with_another_request_id_are_ignored()
    {
        using var agent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        agent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var impostor = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        impostor.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = Fast();
        options.Timeout = TimeSpan.FromSeconds(5);
        options.Retries = 0;
        await using var client = new SnmpClient(options);

        var pending = client.GetAsync(new SnmpTarget((IPEndPoint)agent.LocalEndPoint!, "public"), [SysName0]);
        var buffer = new byte[1500];
        var received = await agent.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
        var request = SnmpMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes)).Pdu;
        byte[] Answer(int requestId, string name) => new SnmpMessage(
            SnmpVersion.V2c, "public", new SnmpPdu(SnmpPduType.Response, requestId, [new VarBind(SysName0, SnmpValue.OctetString(name))])).Encode();

        await impostor.SendToAsync(Answer(request.RequestId, "spoofed"), received.RemoteEndPoint);
        await agent.SendToAsync(Answer(request.RequestId + 1, "stale"), received.RemoteEndPoint);
        await agent.SendToAsync(new byte[] { 0x30, 0x03, 0x02, 0x01 }, received.RemoteEndPoint);
        await WaitUntil(() => client.IgnoredDatagrams == 3);
        Assert.False(pending.IsCompleted);

        await agent.SendToAsync(Answer(request.RequestId, "genuine"), received.RemoteEndPoint);

        Assert.Equal("genuine", (await pending)[0].Value.AsString());
    }

    [Fact]
    public async Task Many_agents_are_polled_concurrently_over_one_socket()
    {
        var agents = Enumerable.Range(0, 20).Select(i => new SimulatedSnmpAgent(
            [new(SysName0, SnmpValue.OctetString($"r{i}")), new(SysDescr0, SnmpValue.OctetString("x"))])).ToArray();
        try
        {
            // Generous timeouts: this test is about matching answers to requests, not about speed on a busy CI box.
            await using var client = new SnmpClient(new SnmpClientOptions { Timeout = TimeSpan.FromSeconds(3), Retries = 2 });
            var polls = Enumerable.Range(0, 1000).Select(async n =>
            {
                var agent = agents[n % agents.Length];
                var result = await client.GetAsync(agent.Target(), [SysName0]);
                return (Expected: $"r{n % agents.Length}", Actual: result[0].Value.AsString());
            });

            var results = await Task.WhenAll(polls);

            Assert.All(results, r => Assert.Equal(r.Expected, r.Actual));
            Assert.InRange(agents.Sum(a => a.RequestsReceived), 1000, 3000);
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public void The_agent_answers_getbulk_with_non_repeaters_first_then_rows()
    {
        var request = SnmpPdu.GetBulk(5, 1, 3, [new(System, default), new(IfDescr, default), new(IfHcInOctets.Append(499), default)]);

        var response = _agent.Answer(request);

        Assert.Equal(
            [
                "1.3.6.1.2.1.1.1.0",
                "1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.31.1.1.1.6.500",
                "1.3.6.1.2.1.2.2.1.2.2", "1.3.6.1.2.1.31.1.1.1.6.500",
                "1.3.6.1.2.1.2.2.1.2.3", "1.3.6.1.2.1.31.1.1.1.6.500",
            ],
            response.VarBinds.Select(v => v.Oid.ToString()));
        Assert.Equal(SnmpType.EndOfMibView, response.VarBinds[4].Value.Type);
        Assert.Equal(SnmpType.Counter64, response.VarBinds[2].Value.Type);
    }

    // Long enough that a busy CI box never retries a request the agent answers; tests of timeouts shorten it.
    private static SnmpClientOptions Fast() => new() { Timeout = TimeSpan.FromSeconds(3), Retries = 1 };

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static List<KeyValuePair<Oid, SnmpValue>> Table()
    {
        var table = new List<KeyValuePair<Oid, SnmpValue>>
        {
            new(SysDescr0, SnmpValue.OctetString("Linux lab-r1 6.1.0")),
            new(Oid.Parse("1.3.6.1.2.1.1.2.0"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10"))),
            new(Oid.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.TimeTicks(4242)),
            new(Oid.Parse("1.3.6.1.2.1.1.4.0"), SnmpValue.OctetString("noc@example.net")),
            new(SysName0, SnmpValue.OctetString("lab-r1")),
            new(Oid.Parse("1.3.6.1.2.1.1.6.0"), SnmpValue.OctetString("rack 3")),
            new(Oid.Parse("1.3.6.1.2.1.2.1.0"), SnmpValue.Integer32(500)),
        };
        for (uint i = 1; i <= 500; i++)
        {
            table.Add(new(IfDescr.Append(i), SnmpValue.OctetString($"eth{i}")));
            table.Add(new(Oid.Parse("1.3.6.1.2.1.2.2.1.8").Append(i), SnmpValue.Integer32(1)));
            table.Add(new(IfHcInOctets.Append(i), SnmpValue.Counter64(ulong.MaxValue - i)));
        }

        return table;
    }
}
