using System.Runtime.CompilerServices;
using Pdsno.Abstractions.Discovery;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>
/// One driver, <c>quiet</c>, that finds nothing: controllers can be configured and scheduled, while what discovery
/// sees comes from <see cref="IDiscoveryProbeGrain"/> alone.
/// </summary>
public sealed class QuietDriverRegistry : IDeviceDriverRegistry
{
    /// <summary>The driver's name.</summary>
    public const string Quiet = "quiet";

    private readonly QuietDriver _driver = new();

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => [Quiet];

    /// <inheritdoc />
    public IDeviceDriver Resolve(string name) =>
        name == Quiet ? _driver : throw new KeyNotFoundException($"driver '{name}' is not known; known: {Quiet}");

    private sealed class QuietDriver : IDeviceDriver
    {
        public string Name => Quiet;

        public async IAsyncEnumerable<DeviceObservation> DiscoverAsync(DiscoveryScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
