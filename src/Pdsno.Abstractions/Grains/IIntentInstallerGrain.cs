using Pdsno.Abstractions.Intents;

namespace Pdsno.Abstractions.Grains;

/// <summary>
/// Puts a tenant's intents' routes on the devices. Key: <c>tenant</c>. Requests that arrive while a change runs are
/// merged into the next one, so many intents placed at once become a few changes rather than one change per intent
/// meeting the others in the device locks. Called by intent grains.
/// </summary>
[Alias("pdsno.IIntentInstallerGrain")]
public interface IIntentInstallerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Installs the routes one intent should hold; answers when the change carrying them was proposed (and run). A
    /// request may wait behind many queued ones, so the call waits longer than the default response timeout: an intent
    /// that stopped waiting would never learn which change carries its routes.
    /// </summary>
    [Alias("Install"), ResponseTimeout("00:10:00")]
    Task<IntentInstall> InstallAsync(IntentInstallRequest request);
}
