using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Pdsno.Discovery.Snmp;

/// <summary>
/// SNMPv2c manager over one UDP socket shared by every request: responses are matched to requests by request id
/// and source endpoint, so thousands of agents can be polled concurrently without a thread each.
/// </summary>
public sealed class SnmpClient : IAsyncDisposable, IDisposable
{
    private const int MaxDatagram = 65_535;
    private const int ReceiveBufferSize = 4 << 20;

    private readonly SnmpClientOptions _options;
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    private readonly Thread _receiver;
    private int _nextRequestId;
    private long _ignoredDatagrams;
    private int _disposed;

    public SnmpClient(SnmpClientOptions? options = null)
    {
        _options = options ?? new SnmpClientOptions();
        _options.Validate();
        _socket = OpenSocket();

        // Polling many agents at once brings bursts of answers; the kernel's default buffer would drop them.
        try
        {
            _socket.ReceiveBufferSize = ReceiveBufferSize;
        }
        catch (SocketException)
        {
            // The kernel keeps its own limit; answers beyond it are lost and retried like any other.
        }

        // A random start keeps ids from colliding with a previous process's late answers.
        _nextRequestId = Random.Shared.Next(1, int.MaxValue / 2);

        // One dedicated thread receives for every agent: answers are matched even while the thread pool is
        // saturated (as it is inside a busy silo), so a request never times out just because nobody read it.
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "SNMP client receive" };
        _receiver.Start();
    }

    /// <summary>The local UDP endpoint every request leaves from and every answer must reach.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Datagrams dropped because they did not decode, were not responses, or matched no pending request.</summary>
    public long IgnoredDatagrams => Interlocked.Read(ref _ignoredDatagrams);

    public async Task<IReadOnlyList<VarBind>> GetAsync(SnmpTarget target, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default) =>
        (await RequestAsync(target, SnmpPduType.GetRequest, 0, 0, oids, cancellationToken)).VarBinds;

    public async Task<IReadOnlyList<VarBind>> GetNextAsync(SnmpTarget target, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default) =>
        (await RequestAsync(target, SnmpPduType.GetNextRequest, 0, 0, oids, cancellationToken)).VarBinds;

    public async Task<IReadOnlyList<VarBind>> GetBulkAsync(
        SnmpTarget target, int nonRepeaters, int maxRepetitions, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nonRepeaters);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRepetitions);
        return (await RequestAsync(target, SnmpPduType.GetBulkRequest, nonRepeaters, maxRepetitions, oids, cancellationToken)).VarBinds;
    }

    /// <summary>
    /// Every varbind under <paramref name="root"/> in OID order. Stops at the end of the subtree or endOfMibView;
    /// throws <see cref="SnmpWalkException"/> when the agent returns an OID that does not increase or the walk
    /// exceeds <see cref="SnmpClientOptions.MaxWalkVarBinds"/>.
    /// </summary>
    public async IAsyncEnumerable<VarBind> WalkAsync(
        SnmpTarget target,
        Oid root,
        bool useBulk = true,
        int maxRepetitions = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var repetitions = maxRepetitions > 0 ? maxRepetitions : _options.MaxRepetitions;
        var current = root;
        var returned = 0;
        while (true)
        {
            IReadOnlyList<VarBind> page;
            try
            {
                page = useBulk
                    ? await GetBulkAsync(target, 0, repetitions, [current], cancellationToken)
                    : await GetNextAsync(target, [current], cancellationToken);
            }
            catch (SnmpErrorException e) when (e.Status == SnmpErrorStatus.TooBig && useBulk && repetitions > 1)
            {
                // The answer did not fit the agent's message size: ask for fewer rows rather than give up.
                repetitions /= 2;
                continue;
            }
            catch (SnmpErrorException e) when (e.Status == SnmpErrorStatus.NoSuchName)
            {
                // SNMPv1-style agents end a walk with noSuchName instead of endOfMibView.
                yield break;
            }

            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var varBind in page)
            {
                if (varBind.Value.Type == SnmpType.EndOfMibView)
                {
                    yield break;
                }

                if (varBind.Oid <= current)
                {
                    throw new SnmpWalkException(
                        $"SNMP agent {target} returned {varBind.Oid} after {current} while walking {root}: OIDs must increase");
                }

                if (!root.IsPrefixOf(varBind.Oid))
                {
                    yield break;
                }

                if (++returned > _options.MaxWalkVarBinds)
                {
                    throw new SnmpWalkException(
                        $"Walk of {root} on SNMP agent {target} exceeded {_options.MaxWalkVarBinds} varbinds");
                }

                current = varBind.Oid;
                yield return varBind;
            }
        }
    }

    /// <summary>Sends any request PDU and returns the agent's response PDU, raising error-status as <see cref="SnmpErrorException"/>.</summary>
    public async Task<SnmpPdu> RequestAsync(
        SnmpTarget target, SnmpPduType type, int nonRepeaters, int maxRepetitions, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(oids);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);

        var endPoint = Normalize(target.EndPoint);
        var pending = new PendingRequest(endPoint);
        int requestId;
        do
        {
            requestId = Interlocked.Increment(ref _nextRequestId) & int.MaxValue;
        }
        while (requestId == 0 || !_pending.TryAdd(requestId, pending));

        try
        {
            var varBinds = new VarBind[oids.Count];
            for (var i = 0; i < varBinds.Length; i++)
            {
                varBinds[i] = new VarBind(oids[i], SnmpValue.Null);
            }

            var pdu = type == SnmpPduType.GetBulkRequest
                ? SnmpPdu.GetBulk(requestId, nonRepeaters, maxRepetitions, varBinds)
                : new SnmpPdu(type, requestId, varBinds);
            using var writer = new BerWriter();
            new SnmpMessage(SnmpVersion.V2c, target.Community, pdu).Encode(writer);

            // Retries resend the same request id, so a late answer to an earlier attempt still counts.
            var attempts = 1 + _options.Retries;
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                await _socket.SendToAsync(writer.WrittenMemory, SocketFlags.None, endPoint, cancellationToken);
                try
                {
                    var response = await pending.Completion.Task.WaitAsync(_options.Timeout, cancellationToken);
                    return Check(response, target, oids);
                }
                catch (TimeoutException)
                {
                    // Next attempt, or the typed timeout below.
                }
            }

            throw new SnmpTimeoutException(target.EndPoint, attempts, _options.Timeout);
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closing the socket unblocks the receiving thread.
        _socket.Dispose();
        await Task.Run(() => _receiver.Join(TimeSpan.FromSeconds(5)));
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(SnmpClient)));
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static SnmpPdu Check(SnmpMessage response, SnmpTarget target, IReadOnlyList<Oid> oids)
    {
        var pdu = response.Pdu;
        if (pdu.ErrorStatus == SnmpErrorStatus.NoError)
        {
            return pdu;
        }

        Oid? oid = pdu.ErrorIndex >= 1 && pdu.ErrorIndex <= oids.Count ? oids[pdu.ErrorIndex - 1] : null;
        throw new SnmpErrorException(pdu.ErrorStatus, pdu.ErrorIndex, target.EndPoint, oid);
    }

    private static Socket OpenSocket()
    {
        // One dual-mode socket reaches IPv4 and IPv6 agents; hosts without IPv6 get a plain IPv4 socket.
        try
        {
            var dual = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
            try
            {
                dual.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
                return dual;
            }
            catch (SocketException)
            {
                dual.Dispose();
                throw;
            }
        }
        catch (SocketException)
        {
            var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            v4.Bind(new IPEndPoint(IPAddress.Any, 0));
            return v4;
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private void ReceiveLoop()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        EndPoint from = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (Volatile.Read(ref _disposed) == 0)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP errors for one agent surface here on some platforms; that agent's request times out instead.
                continue;
            }

            Dispatch(buffer.AsSpan(0, received), (IPEndPoint)from);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        SnmpMessage message;
        try
        {
            message = SnmpMessage.Decode(datagram);
        }
        catch (SnmpDecodeException)
        {
            Interlocked.Increment(ref _ignoredDatagrams);
            return;
        }

        // A response must answer a request we still wait for, from the endpoint we sent it to; anything else
        // is stale, spoofed or misrouted.
        if (message.Pdu.Type != SnmpPduType.Response
            || !_pending.TryGetValue(message.Pdu.RequestId, out var pending)
            || !pending.EndPoint.Equals(Normalize(from)))
        {
            Interlocked.Increment(ref _ignoredDatagrams);
            return;
        }

        pending.Completion.TrySetResult(message);
    }

    private sealed class PendingRequest(IPEndPoint endPoint)
    {
        public IPEndPoint EndPoint { get; } = endPoint;

        public TaskCompletionSource<SnmpMessage> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
