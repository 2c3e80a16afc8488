using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>
/// The event log and read model in memory, with the same guarantees as the PostgreSQL writer: one increasing
/// sequence per tenant, events stored once per (aggregate, version, ordinal), rows replaced only by a higher state
/// version. A tenant can be made unavailable to play a database outage.
/// </summary>
public sealed class InMemoryProjectionWriter : IProjectionWriter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly HashSet<(string Tenant, string Aggregate, long Version, int Ordinal)> _stored = [];
    private readonly List<TopologyEvent> _events = [];
    private readonly Dictionary<(string Tenant, string Device), DeviceRow> _devices = [];
    private readonly Dictionary<(string Tenant, string Region), RegionRow> _regions = [];
    private readonly Dictionary<(string Tenant, string Link), LinkRow> _links = [];
    private readonly Dictionary<(string Tenant, string Device, long Version), ConfigVersion> _configVersions = [];
    private readonly HashSet<string> _unavailable = new(StringComparer.Ordinal);
    private readonly List<(Func<TopologyEvent, bool> Match, TaskCompletionSource<TopologyEvent> Found)> _eventWaiters = [];
    private readonly List<(Func<ProjectionWork, bool> Match, TaskCompletionSource Refused)> _refusalWaiters = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<TopologyEvent>> CommitAsync(ProjectionWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            if (_unavailable.Contains(work.Tenant))
            {
                Release(_refusalWaiters, w => w.Match(work), w => w.Refused.TrySetResult());
                throw new ProjectionUnavailableException("The read model could not be written: the database is away", new TimeoutException());
            }

            var stored = new List<TopologyEvent>();
            foreach (var draft in work.Events)
            {
                if (_stored.Add((work.Tenant, draft.AggregateId, draft.AggregateVersion, draft.Ordinal)))
                {
                    var sequence = _lastSequence[work.Tenant] = _lastSequence.GetValueOrDefault(work.Tenant) + 1;
                    stored.Add(TopologyEvent.From(work.Tenant, sequence, draft));
                }
            }

            _events.AddRange(stored);
            if (work.Device is { } device)
            {
                Upsert(_devices, (work.Tenant, device.Device), device, device.StateVersion, d => d.StateVersion);
            }

            if (work.Region is { } region)
            {
                Upsert(_regions, (work.Tenant, region.Region), region, region.StateVersion, r => r.StateVersion);
            }

            foreach (var row in work.ConfigVersions ?? [])
            {
                _configVersions.TryAdd((work.Tenant, row.Device, row.Version.Version), row.Version);
            }

            foreach (var link in work.Links ?? [])
            {
                Upsert(_links, (work.Tenant, link.Link), link, link.StateVersion, l => l.StateVersion);
            }

            foreach (var e in stored)
            {
                Release(_eventWaiters, w => w.Match(e), w => w.Found.TrySetResult(e));
            }

            return Task.FromResult<IReadOnlyList<TopologyEvent>>(stored);
        }
    }

    /// <summary>Makes every write of <paramref name="tenant"/> fail as if the database were away, or work again.</summary>
    public void SetAvailable(string tenant, bool available)
    {
        lock (_gate)
        {
            if (available)
            {
                _unavailable.Remove(tenant);
            }
            else
            {
                _unavailable.Add(tenant);
            }
        }
    }

    /// <summary>The tenant's stored events, in sequence order.</summary>
    public IReadOnlyList<TopologyEvent> Events(string tenant)
    {
        lock (_gate)
        {
            return [.. _events.Where(e => e.Tenant == tenant).OrderBy(e => e.Sequence)];
        }
    }

    /// <summary>The device's read-model row, or null.</summary>
    public DeviceRow? Device(string tenant, string device)
    {
        lock (_gate)
        {
            return _devices.GetValueOrDefault((tenant, device));
        }
    }

    /// <summary>The device's config history, oldest first.</summary>
    public IReadOnlyList<ConfigVersion> ConfigVersions(string tenant, string device)
    {
        lock (_gate)
        {
            return [.. _configVersions.Where(p => p.Key.Tenant == tenant && p.Key.Device == device).OrderBy(p => p.Key.Version).Select(p => p.Value)];
        }
    }

    /// <summary>The region's read-model row, or null.</summary>
    public RegionRow? Region(string tenant, string region)
    {
        lock (_gate)
        {
            return _regions.GetValueOrDefault((tenant, region));
        }
    }

    /// <summary>Completes with the first stored event that matches, already stored or still to come.</summary>
    public Task<TopologyEvent> WaitForEventAsync(Func<TopologyEvent, bool> match)
    {
        lock (_gate)
        {
            if (_events.FirstOrDefault(match) is { } found)
            {
                return Task.FromResult(found);
            }

            var waiter = (match, new TaskCompletionSource<TopologyEvent>(TaskCreationOptions.RunContinuationsAsynchronously));
            _eventWaiters.Add(waiter);
            return waiter.Item2.Task.WaitAsync(ClusterFixture.Patience);
        }
    }

    /// <summary>Completes when a write that matches is refused (the tenant being unavailable).</summary>
    public Task WaitForRefusalAsync(Func<ProjectionWork, bool> match)
    {
        lock (_gate)
        {
            var waiter = (match, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _refusalWaiters.Add(waiter);
            return waiter.Item2.Task.WaitAsync(ClusterFixture.Patience);
        }
    }

    private static void Upsert<TKey, TRow>(Dictionary<TKey, TRow> rows, TKey key, TRow row, long version, Func<TRow, long> versionOf)
        where TKey : notnull
    {
        if (!rows.TryGetValue(key, out var existing) || versionOf(existing) < version)
        {
            rows[key] = row;
        }
    }

    private static void Release<T>(List<T> waiters, Func<T, bool> match, Action<T> release)
    {
        foreach (var waiter in waiters.Where(match).ToList())
        {
            release(waiter);
            waiters.Remove(waiter);
        }
    }
}
