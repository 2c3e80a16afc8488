using System.Collections.Immutable;
using Pdsno.Abstractions.Changes;

namespace Pdsno.Abstractions.Intents;

/// <summary>One intent going from the routes it holds to the ones it should hold.</summary>
/// <param name="Intent">The intent's key.</param>
/// <param name="Held">The routes it holds, by device.</param>
/// <param name="Desired">The routes it should hold, by device (none when it is withdrawn or has no path).</param>
[GenerateSerializer, Immutable, Alias("pdsno.route-move")]
public sealed record RouteMove(
    [property: Id(0)] string Intent,
    [property: Id(1)] ImmutableArray<IntentRoutes> Held,
    [property: Id(2)] ImmutableArray<IntentRoutes> Desired);

/// <summary>What an intent asks the tenant's installer to put on the devices.</summary>
/// <param name="Move">The routes it holds and the ones it should.</param>
/// <param name="Title">The intent's title, for the change.</param>
/// <param name="Reroute">The intent held routes before (so was approved once): the policy may count its change as LOW.</param>
/// <param name="Review">The change must wait for an approver whatever its sensitivity (a proposal of the closed loop).</param>
[GenerateSerializer, Immutable, Alias("pdsno.intent-install-request")]
public sealed record IntentInstallRequest(
    [property: Id(0)] RouteMove Move,
    [property: Id(1)] string Title,
    [property: Id(2)] bool Reroute,
    [property: Id(3)] bool Review = false);

/// <summary>
/// How an install request ended: the change that carries it (final when it was executed at once, waiting for approval
/// otherwise), or the reason no change could carry it; neither when the devices already hold what the intent wants.
/// </summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-install")]
public sealed record IntentInstall(
    [property: Id(0)] ChangeView? Change,
    [property: Id(1)] string? Refusal);
