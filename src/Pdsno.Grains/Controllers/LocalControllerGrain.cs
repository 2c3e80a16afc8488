using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;

namespace Pdsno.Grains.Controllers;

/// <summary>
/// Runs discovery cycles on a durable reminder (so the schedule survives restarts and silo failures),
/// asks its driver what is there and publishes the observations on the region's discovery stream.
/// </summary>
[GrainType("local-controller")]
public sealed class LocalControllerGrain(
    [PersistentState("controller", PdsnoStreams.Storage)] IPersistentState<LocalControllerState> state,
    IDeviceDriverRegistry drivers,
    ILogger<LocalControllerGrain> logger) : Grain, ILocalControllerGrain, IRemindable
{
    private const string ReminderName = "discovery-cycle";
    private const int BatchSize = 250;

    private ControllerId _id;
    private long _cycles;
    private DateTimeOffset? _lastStarted;
    private DateTimeOffset? _lastFinished;
    private int _lastDevices;
    private string? _lastError;
    private bool _running;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = ControllerId.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ConfigureAsync(string driver, ImmutableArray<string> targets, TimeSpan interval)
    {
        drivers.Resolve(driver);
        if (interval < Abstractions.Policy.GlobalPolicy.ShortestInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"the discovery interval must be at least {Abstractions.Policy.GlobalPolicy.ShortestInterval}");
        }

        var s = state.State;
        var targetsNow = targets.IsDefault ? [] : targets;
        var intervalChanged = s.Interval != interval;
        if (s.Driver != driver || !s.Targets.SequenceEqual(targetsNow) || intervalChanged)
        {
            s.Driver = driver;
            s.Targets = targetsNow;
            s.Interval = interval;
            await state.WriteStateAsync();
        }

        var existing = await this.GetReminder(ReminderName);
        if (existing is null || intervalChanged)
        {
            // A new controller runs its first cycle soon; a changed interval (adaptive discovery, a new policy)
            // takes effect from the next cycle, without an extra one in between.
            var due = existing is null ? TimeSpan.FromSeconds(1) : interval;
            await this.RegisterOrUpdateReminder(ReminderName, due, interval);
        }
    }

    /// <inheritdoc />
    public Task<int> RunCycleNowAsync() => RunCycleAsync();

    /// <inheritdoc />
    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public Task<ControllerStatus> GetStatusAsync()
    {
        var s = state.State;
        var overdue = s.Interval > TimeSpan.Zero && (_lastFinished ?? _lastStarted) is { } last && DateTimeOffset.UtcNow - last > 2 * s.Interval + TimeSpan.FromSeconds(5);
        return Task.FromResult(new ControllerStatus(_id.ToString(), s.Driver, s.Interval, _cycles, _lastStarted, _lastFinished, _lastDevices, _lastError, overdue));
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await RunCycleAsync();
        }
    }

    private async Task<int> RunCycleAsync()
    {
        var s = state.State;
        if (_running || string.IsNullOrEmpty(s.Driver))
        {
            return 0;
        }

        _running = true;
        var started = DateTimeOffset.UtcNow;
        var cycle = ++_cycles;
        _lastStarted = started;
        var stream = this.GetStreamProvider(PdsnoStreams.Provider)
            .GetStream<DiscoveryBatch>(StreamId.Create(PdsnoStreams.Discovery, _id.Region.ToString()));
        var count = 0;
        var index = 0;
        var limit = s.Interval > TimeSpan.Zero ? s.Interval * 4 + TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(5);
        try
        {
            var driver = drivers.Resolve(s.Driver);
            var buffer = ImmutableArray.CreateBuilder<DeviceObservation>(BatchSize);
            using var timeout = new CancellationTokenSource(limit);
            await foreach (var observation in driver.DiscoverAsync(new DiscoveryScope(_id, s.Targets), timeout.Token))
            {
                buffer.Add(observation);
                count++;
                if (buffer.Count == BatchSize)
                {
                    await stream.OnNextAsync(new DiscoveryBatch(_id, cycle, started, buffer.DrainToImmutable(), false, index++));
                }
            }

            await stream.OnNextAsync(new DiscoveryBatch(_id, cycle, started, buffer.DrainToImmutable(), true, index));
            _lastError = null;
            _lastDevices = count;
            _lastFinished = DateTimeOffset.UtcNow;
            logger.LogDebug("Controller {ControllerId} cycle {Cycle} saw {Count} devices", _id, cycle, count);
            return count;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed cycle publishes no end marker, so the region counts no device as missed because of it.
            // The status is read through the API: it gets our words, the log gets the exception.
            _lastError = CycleFailure.Describe(ex, s.Driver, limit);
            logger.LogWarning(ex, "Controller {ControllerId} cycle {Cycle} failed: {Failure}", _id, cycle, _lastError);
            return count;
        }
        finally
        {
            _running = false;
        }
    }
}
