using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>Plays the grains that call a device's internal methods (a change, a region), from inside the silo. Key: any.</summary>
[Alias("pdsno.tests.IChangeProbeGrain")]
public interface IChangeProbeGrain : IGrainWithStringKey
{
    /// <summary>Observes the device as a region would.</summary>
    [Alias("Observe")]
    Task ObserveAsync(string device, string region, DeviceObservation observation);

    /// <summary>Takes the device's lock for a change.</summary>
    [Alias("Lock")]
    Task<string?> LockAsync(string device, string changeId);

    /// <summary>Releases the device's lock.</summary>
    [Alias("Unlock")]
    Task UnlockAsync(string device, string changeId);

    /// <summary>Applies a config step.</summary>
    [Alias("Apply")]
    Task<ConfigApplyOutcome> ApplyAsync(string device, ConfigApplyRequest request);

    /// <summary>Marks the device DEGRADED.</summary>
    [Alias("MarkDegraded")]
    Task MarkDegradedAsync(string device, string changeId, string reason);

    /// <summary>The device's config view.</summary>
    [Alias("GetConfig")]
    Task<DeviceConfigView?> GetConfigAsync(string device);

    /// <summary>Asks a change (<c>tenant/change</c>) to resume, as the recovery sweep does.</summary>
    [Alias("Resume")]
    Task ResumeAsync(string change, string? lockedDevice);

    /// <summary>The simulated devices of a region (<c>tenant/region</c>) that run their own config, as discovery asks.</summary>
    [Alias("Configured")]
    Task<System.Collections.Immutable.ImmutableHashSet<string>> ConfiguredAsync(string region);
}

/// <summary>Forwards to the device grain: calls between grains are trusted, as the change pipeline's are.</summary>
[Orleans.Concurrency.Reentrant]
public sealed class ChangeProbeGrain : Grain, IChangeProbeGrain
{
    /// <inheritdoc />
    public Task ObserveAsync(string device, string region, DeviceObservation observation) => Device(device).ObserveAsync(region, observation);

    /// <inheritdoc />
    public Task<string?> LockAsync(string device, string changeId) => Device(device).LockAsync(changeId);

    /// <inheritdoc />
    public Task UnlockAsync(string device, string changeId) => Device(device).UnlockAsync(changeId);

    /// <inheritdoc />
    public Task<ConfigApplyOutcome> ApplyAsync(string device, ConfigApplyRequest request) => Device(device).ApplyConfigAsync(request);

    /// <inheritdoc />
    public Task MarkDegradedAsync(string device, string changeId, string reason) => Device(device).MarkDegradedAsync(changeId, reason);

    /// <inheritdoc />
    public Task<DeviceConfigView?> GetConfigAsync(string device) => Device(device).GetConfigAsync();

    /// <inheritdoc />
    public Task ResumeAsync(string change, string? lockedDevice) => GrainFactory.GetGrain<IChangeGrain>(change).ResumeAsync(lockedDevice);

    /// <inheritdoc />
    public Task<System.Collections.Immutable.ImmutableHashSet<string>> ConfiguredAsync(string region) =>
        GrainFactory.GetGrain<ISimulatedRegionConfigGrain>(region).GetConfiguredAsync();

    private IDeviceGrain Device(string key) => GrainFactory.GetGrain<IDeviceGrain>(key);
}
