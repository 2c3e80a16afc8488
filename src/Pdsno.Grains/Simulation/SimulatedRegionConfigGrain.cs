using System.Collections.Immutable;
using Orleans.Concurrency;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Grains;

namespace Pdsno.Grains.Simulation;

/// <summary>The durable list of a region's simulated devices that run their own config.</summary>
[GenerateSerializer, Alias("pdsno.sim-region-config-state")]
public sealed class SimulatedRegionConfigState
{
    [Id(0)] public ImmutableHashSet<string> Configured { get; set; } = [];
}

/// <summary>
/// Lists a region's simulated devices that run their own config. A device registers once, before its first config is
/// stored; registrations that arrive together share one state write (the grain is reentrant for that), so a thousand
/// devices configured at once cost a few writes, not a thousand in a row.
/// </summary>
[GrainType("simulated-region-config")]
[Reentrant]
public sealed class SimulatedRegionConfigGrain(
    [PersistentState("simulated-region-config", PdsnoStreams.Storage)] IPersistentState<SimulatedRegionConfigState> state) : Grain, ISimulatedRegionConfigGrain
{
    private ImmutableHashSet<string>? _durable;
    private Task? _writing;
    private Task? _queued;

    /// <inheritdoc />
    public Task RegisterAsync(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _durable ??= state.State.Configured;
        if (_durable.Contains(name))
        {
            return Task.CompletedTask;
        }

        state.State.Configured = state.State.Configured.Add(name);
        return FlushAsync();
    }

    /// <inheritdoc />
    public Task<ImmutableHashSet<string>> GetConfiguredAsync() => Task.FromResult(state.State.Configured);

    // One write at a time (a grain state has one etag); what arrives during a write joins the one write after it.
    private Task FlushAsync()
    {
        if (_writing is { IsCompleted: false } current)
        {
            return _queued ??= WriteAfterAsync(current);
        }

        return _writing = WriteAsync();
    }

    private async Task WriteAfterAsync(Task current)
    {
        try
        {
            await current;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next write carries the same names; its own outcome is what its callers see.
        }

        _queued = null;
        await (_writing = WriteAsync());
    }

    private async Task WriteAsync()
    {
        var written = state.State.Configured;
        await state.WriteStateAsync();
        _durable = written;
    }
}
