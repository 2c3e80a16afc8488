using System.Collections.Immutable;
using Pdsno.Abstractions.Intents;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Grains;

/// <summary>
/// A tenant's intents against its live topology graph and capacity ledger: compiles, previews and what-ifs. Key:
/// <c>tenant</c>. Paths may cross every region, so only tenant-wide tokens may ask.
/// </summary>
[Alias("pdsno.IIntentNetworkGrain")]
public interface IIntentNetworkGrain : IGrainWithStringKey
{
    /// <summary>Compiles an intent against the live topology and ledger and answers its path(s), loads, conflicts and patches; stores nothing.</summary>
    [Alias("PreviewIntent"), Requires(Roles.Operator, TenantWide = true)]
    Task<IntentPreview> PreviewIntentAsync(IntentSpec spec);

    /// <summary>What would happen to the tenant's intents if these links and devices failed now; stores nothing.</summary>
    [Alias("PreviewFailure"), Requires(Roles.Viewer, TenantWide = true)]
    Task<FailurePreview> PreviewFailureAsync(ImmutableArray<string> links, ImmutableArray<string> devices);

    /// <summary>
    /// Compiles and reserves an intent (replacing one of the same key), displacing lower priorities, whose intent grains
    /// are told; endpoints outside <paramref name="regions"/> (when given) read as unknown. Called by intent grains.
    /// </summary>
    [Alias("Submit")]
    Task<IntentPlacement> SubmitAsync(IntentSpec spec, ImmutableArray<string> regions);

    /// <summary>The current compilation of a held intent (a compliance intent's per-device patches and conflicts), or null. Called by intent grains.</summary>
    [Alias("Compiled")]
    Task<IntentCompilation?> CompiledAsync(string intent);

    /// <summary>
    /// Of <paramref name="routes"/> (by device), those that placed intents other than <paramref name="intents"/> install
    /// too, so giving them up must leave them on the device. Called by the tenant's installer.
    /// </summary>
    [Alias("WantedByOthers")]
    Task<ImmutableArray<IntentRoutes>> WantedByOthersAsync(ImmutableArray<string> intents, ImmutableArray<IntentRoutes> routes);

    /// <summary>Frees an intent's reservations; FAILED intents that now fit are told. Called by intent grains.</summary>
    [Alias("Withdraw")]
    Task WithdrawAsync(string intent);

    /// <summary>
    /// A link direction is predicted to congest: its forecast load counts as used capacity until it clears. With the loop
    /// on (<see cref="CongestionSignal.Mode"/>), the intents over the link that reserve bandwidth are compiled again
    /// (highest priority first) and those that find another path move, their intent grains told why; with it off,
    /// nothing moves. Answers what moved and what stayed. Called by the tenant's analytics grain.
    /// </summary>
    [Alias("Congestion")]
    Task<LoopOutcome> CongestionAsync(CongestionSignal signal);

    /// <summary>
    /// A predicted congestion cleared: the link's forecast load no longer counts, and FAILED intents that now fit are
    /// retried. Intents that moved away stay on their new paths. Called by the tenant's analytics grain.
    /// </summary>
    [Alias("CongestionCleared")]
    Task CongestionClearedAsync(string link, string direction);

    /// <summary>What intents reserve on these links (by key); links no intent uses answer zero.</summary>
    [Alias("Reservations"), Requires(Roles.Viewer)]
    Task<ImmutableArray<LinkReservation>> ReservationsAsync(ImmutableArray<string> links);
}
