using System.Net;
using System.Net.Sockets;
using Pdsno.Discovery.Snmp;

namespace Pdsno.TestSupport.Snmp;

/// <summary>
/// An in-process SNMPv2c agent on a loopback UDP port serving a sorted OID table, with switches to drop, delay,
/// loop or fail, so client tests and benchmarks need no net-snmp.
/// </summary>
public sealed class SimulatedSnmpAgent : IAsyncDisposable, IDisposable
{
    /// <summary>Largest response the agent sends; GetBulk answers are trimmed to fit, as RFC 3416 asks.</summary>
    public const int MaxMessageSize = 65_507;

    private readonly Lock _tableLock = new();
    private readonly List<Oid> _oids = [];
    private readonly List<SnmpValue> _values = [];
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private int _requestsReceived;
    private int _dropFirst;
    private int _disposed;

    public SimulatedSnmpAgent(IEnumerable<KeyValuePair<Oid, SnmpValue>> table, string community = "public")
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(community);
        Community = community;
        foreach (var (oid, value) in table)
        {
            Set(oid, value);
        }

        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // Loopback datagrams cost kilobytes of buffer each; the default would drop a burst of a few dozen.
        _socket.ReceiveBufferSize = 1 << 20;
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public string Community { get; }

    /// <summary>Requests with the right community that decoded, including those then dropped.</summary>
    public int RequestsReceived => Volatile.Read(ref _requestsReceived);

    /// <summary>When set, no request is answered.</summary>
    public bool DropAll { get; set; }

    /// <summary>Answers nothing until this many further requests have been dropped.</summary>
    public int DropFirst
    {
        get => Volatile.Read(ref _dropFirst);
        set => Volatile.Write(ref _dropFirst, value);
    }

    public TimeSpan ResponseDelay { get; set; }

    /// <summary>
    /// When set, GETNEXT and GETBULK from this OID onwards answer with the first OID of the table, as looping
    /// agents do, instead of the real successor.
    /// </summary>
    public Oid? LoopAt { get; set; }

    /// <summary>When not NoError, every request is answered with this error-status.</summary>
    public SnmpErrorStatus ErrorStatus { get; set; }

    public int ErrorIndex { get; set; } = 1;

    public SnmpTarget Target(string? community = null) => new(EndPoint, community ?? Community);

    public void Set(Oid oid, SnmpValue value)
    {
        lock (_tableLock)
        {
            var index = _oids.BinarySearch(oid);
            if (index >= 0)
            {
                _values[index] = value;
            }
            else
            {
                _oids.Insert(~index, oid);
                _values.Insert(~index, value);
            }
        }
    }

    public bool Remove(Oid oid)
    {
        lock (_tableLock)
        {
            var index = _oids.BinarySearch(oid);
            if (index < 0)
            {
                return false;
            }

            _oids.RemoveAt(index);
            _values.RemoveAt(index);
            return true;
        }
    }

    /// <summary>The response PDU this agent gives to a request PDU, without the network.</summary>
    public SnmpPdu Answer(SnmpPdu request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ErrorStatus != SnmpErrorStatus.NoError)
        {
            return new SnmpPdu(SnmpPduType.Response, request.RequestId, request.VarBinds, ErrorStatus, ErrorIndex);
        }

        lock (_tableLock)
        {
            switch (request.Type)
            {
                case SnmpPduType.GetRequest:
                    return Response(request, request.VarBinds.Select(v => Get(v.Oid)).ToArray());
                case SnmpPduType.GetNextRequest:
                    return Response(request, request.VarBinds.Select(v => Next(v.Oid)).ToArray());
                case SnmpPduType.GetBulkRequest:
                    return Response(request, Bulk(request));
                default:
                    return new SnmpPdu(SnmpPduType.Response, request.RequestId, request.VarBinds, SnmpErrorStatus.GenErr, 0);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _receiveLoop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        _stop.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static SnmpPdu Response(SnmpPdu request, IReadOnlyList<VarBind> varBinds) =>
        new(SnmpPduType.Response, request.RequestId, varBinds);

    private VarBind Get(Oid oid)
    {
        var index = _oids.BinarySearch(oid);
        if (index >= 0)
        {
            return new VarBind(oid, _values[index]);
        }

        // The object exists when a sibling instance of the same shape does (ifDescr.7 when ifDescr.1 exists);
        // otherwise the object itself is unknown.
        var parentLength = oid.Length - 1;
        var sibling = ~index < _oids.Count ? _oids[~index] : (Oid?)null;
        var previous = ~index > 0 ? _oids[~index - 1] : (Oid?)null;
        var known = parentLength > 0
            && (IsSibling(sibling, oid, parentLength) || IsSibling(previous, oid, parentLength));
        return new VarBind(oid, known ? SnmpValue.NoSuchInstance : SnmpValue.NoSuchObject);
    }

    private static bool IsSibling(Oid? candidate, Oid oid, int parentLength) =>
        candidate is { } c && c.Length == oid.Length && c.Arcs[..parentLength].SequenceEqual(oid.Arcs[..parentLength]);

    private VarBind Next(Oid oid)
    {
        if (LoopAt is { } loopAt && oid >= loopAt && _oids.Count > 0)
        {
            return new VarBind(_oids[0], _values[0]);
        }

        var index = _oids.BinarySearch(oid);
        index = index >= 0 ? index + 1 : ~index;
        return index < _oids.Count
            ? new VarBind(_oids[index], _values[index])
            : new VarBind(oid, SnmpValue.EndOfMibView);
    }

    private List<VarBind> Bulk(SnmpPdu request)
    {
        var requested = request.VarBinds;
        var nonRepeaters = Math.Min(Math.Max(request.NonRepeaters, 0), requested.Count);
        var repeaters = requested.Count - nonRepeaters;
        var result = new List<VarBind>();
        var size = 0;
        for (var i = 0; i < nonRepeaters; i++)
        {
            result.Add(Next(requested[i].Oid));
        }

        var cursors = requested.Skip(nonRepeaters).Select(v => v.Oid).ToArray();
        for (var row = 0; row < request.MaxRepetitions && repeaters > 0; row++)
        {
            var ended = 0;
            for (var i = 0; i < repeaters; i++)
            {
                var next = Next(cursors[i]);
                cursors[i] = next.Oid;
                ended += next.Value.Type == SnmpType.EndOfMibView ? 1 : 0;
                result.Add(next);

                // A rough per-varbind size keeps the answer under the datagram limit without re-encoding.
                size += 8 + (next.Oid.Length * 5) + (next.Value.Type is SnmpType.OctetString or SnmpType.Opaque ? next.Value.AsBytes().Length : 10);
            }

            if (ended == repeaters || size > MaxMessageSize - 1024)
            {
                break;
            }
        }

        return result;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_535);
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            SnmpMessage request;
            try
            {
                request = SnmpMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes));
            }
            catch (SnmpDecodeException)
            {
                continue;
            }

            // Like net-snmp, a wrong community gets no answer at all, so it looks like a timeout to the manager.
            if (request.Community != Community || request.Version != SnmpVersion.V2c)
            {
                continue;
            }

            Interlocked.Increment(ref _requestsReceived);
            if (DropAll || TryConsumeDrop())
            {
                continue;
            }

            var response = new SnmpMessage(SnmpVersion.V2c, Community, Answer(request.Pdu)).Encode();
            var to = received.RemoteEndPoint;
            var delay = ResponseDelay;
            if (delay > TimeSpan.Zero)
            {
                _ = SendLaterAsync(response, to, delay);
            }
            else
            {
                await SendAsync(response, to);
            }
        }
    }

    private bool TryConsumeDrop()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref _dropFirst);
            if (remaining <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _dropFirst, remaining - 1, remaining) == remaining)
            {
                return true;
            }
        }
    }

    private async Task SendLaterAsync(byte[] response, EndPoint to, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await SendAsync(response, to);
    }

    private async Task SendAsync(byte[] response, EndPoint to)
    {
        try
        {
            await _socket.SendToAsync(response, SocketFlags.None, to, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The agent is shutting down or the manager went away; a lost answer is what UDP promises anyway.
        }
    }
}
