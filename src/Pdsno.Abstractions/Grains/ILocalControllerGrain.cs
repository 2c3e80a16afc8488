using System.Collections.Immutable;
using Orleans.Concurrency;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>Runs discovery cycles for a region through a driver. Key: <c>tenant/region/controller</c>.</summary>
[Alias("pdsno.ILocalControllerGrain")]
public interface ILocalControllerGrain : IGrainWithStringKey
{
    /// <summary>Sets the driver, targets and cycle interval, and (re)arms the schedule.</summary>
    [Alias("Configure")]
    Task ConfigureAsync(string driver, ImmutableArray<string> targets, TimeSpan interval);

    /// <summary>Runs one cycle now unless one is already running; returns the number of devices seen.</summary>
    [Alias("RunCycleNow"), Requires(Roles.Operator)]
    Task<int> RunCycleNowAsync();

    /// <summary>Stops the schedule and forgets the configuration (the region was deleted).</summary>
    [Alias("Stop")]
    Task StopAsync();

    /// <summary>The schedule and the outcome of the last cycle.</summary>
    /// <remarks>Interleaves with a running cycle, so an overdue controller is reported while it is stuck.</remarks>
    [Alias("GetStatus"), Requires(Roles.Viewer), AlwaysInterleave]
    Task<ControllerStatus> GetStatusAsync();
}
