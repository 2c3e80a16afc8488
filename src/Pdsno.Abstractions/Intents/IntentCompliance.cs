using System.Collections.Immutable;

namespace Pdsno.Abstractions.Intents;

/// <summary>Whether one device selected by a compliance intent carries what the intent asks, and if not, which keys differ.</summary>
/// <param name="Device">The device key.</param>
/// <param name="Compliant">True when its intended config (and its observed config, where it drifted) carries the intent's values.</param>
/// <param name="Reasons">One line per key that differs (<c>ntpServers: has [10.0.0.1], wants [10.9.9.1]</c>); empty when compliant.</param>
[GenerateSerializer, Immutable, Alias("pdsno.device-compliance")]
public sealed record DeviceCompliance(
    [property: Id(0)] string Device,
    [property: Id(1)] bool Compliant,
    [property: Id(2)] ImmutableArray<string> Reasons);

/// <summary>One page of a compliance intent's selected devices, in key order, judged against their config.</summary>
/// <param name="TotalCount">How many devices the intent selects now.</param>
/// <param name="Devices">The devices of this page.</param>
/// <param name="HasNextPage">True when devices follow this page.</param>
/// <param name="EndCursor">The last device key of the page, to pass as <c>after</c>.</param>
[GenerateSerializer, Immutable, Alias("pdsno.intent-compliance")]
public sealed record IntentCompliance(
    [property: Id(0)] int TotalCount,
    [property: Id(1)] ImmutableArray<DeviceCompliance> Devices,
    [property: Id(2)] bool HasNextPage,
    [property: Id(3)] string? EndCursor);
