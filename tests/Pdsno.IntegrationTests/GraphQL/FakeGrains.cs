using System.Collections.Immutable;
using System.Reflection;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Policy;

namespace Pdsno.IntegrationTests.GraphQL;

/// <summary>
/// An IGrainFactory handing out a fake policy grain and fake device grains; every other member throws. Proxies keep
/// the fakes compiling while the grain interfaces grow.
/// </summary>
public class FakeGrainFactory : DispatchProxy
{
    /// <summary>The device key whose grain fails, to prove failures are masked.</summary>
    public const string FailingDevice = "c00000000000d";

    public static IGrainFactory Create() => DispatchProxy.Create<IGrainFactory, FakeGrainFactory>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: "GetGrain", IsGenericMethod: true } && args is [string key, ..])
        {
            var grainInterface = targetMethod.GetGenericArguments()[0];
            if (grainInterface == typeof(IGlobalPolicyGrain))
            {
                return DispatchProxy.Create<IGlobalPolicyGrain, FakeGrain>();
            }

            if (grainInterface == typeof(IDeviceGrain))
            {
                var grain = DispatchProxy.Create<IDeviceGrain, FakeGrain>();
                ((FakeGrain)(object)grain).Key = key;
                return grain;
            }
        }

        throw new NotSupportedException($"The fake grain factory does not support {targetMethod?.Name}.");
    }
}

/// <summary>Answers GetPolicyAsync and GetTelemetryAsync; the telemetry of <see cref="FakeGrainFactory.FailingDevice"/> fails.</summary>
public class FakeGrain : DispatchProxy
{
    public string Key { get; set; } = "";

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case nameof(IGlobalPolicyGrain.GetPolicyAsync):
                return Task.FromResult(new GlobalPolicy(7, TimeSpan.FromSeconds(45), 4));
            case nameof(IDeviceGrain.GetTelemetryAsync):
                if (Key.EndsWith("/" + FakeGrainFactory.FailingDevice, StringComparison.Ordinal))
                {
                    return Task.FromException<ImmutableArray<TelemetrySample>>(new InvalidOperationException("connection to Host=db;Password=hunter2 failed"));
                }

                var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
                return Task.FromResult(ImmutableArray.Create(
                    new TelemetrySample("eth0", at, 100, 200, 8e6, 1.6e7, 0, 0),
                    new TelemetrySample("eth1", at, 300, 400, 2e6, 3e6, 1, 0),
                    new TelemetrySample("eth0", at.AddSeconds(10), 1100, 1200, 8.5e6, 1.7e7, 0, 0)));
            default:
                throw new NotSupportedException($"The fake grain does not support {targetMethod?.Name}.");
        }
    }
}
