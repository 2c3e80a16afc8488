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
    /// <summary>Installs the routes one intent should hold; answers when the change carrying them was proposed (and run).</summary>
    [Alias("Install")]
    Task<IntentInstall> InstallAsync(IntentInstallRequest request);
}
