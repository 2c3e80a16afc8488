using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Pdsno.Discovery.Config;

namespace Pdsno.Discovery.Hosting;

/// <summary>Registers the ssh config driver; its host-key store (<see cref="ISshHostKeyStore"/>) comes from storage.</summary>
public static class SshConfigDriverServices
{
    /// <summary>
    /// Binds <c>ConfigDrivers:Ssh</c> and registers <see cref="SshConfigDriver"/> as an <see cref="IConfigDriver"/>.
    /// The settings are checked at start when the driver is in use (<see cref="SshConfigDriverOptions.InUse"/>) or a
    /// key path is given: a missing or unreadable key stops the start with a message naming the key file.
    /// </summary>
    public static IServiceCollection AddSshConfigDriver(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var check = SshConfigDriverOptions.InUse(configuration) || !string.IsNullOrWhiteSpace(configuration[$"{SshConfigDriverOptions.Section}:KeyPath"]);
        var builder = services.AddOptions<SshConfigDriverOptions>().BindConfiguration(SshConfigDriverOptions.Section);
        if (check)
        {
            builder.ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SshConfigDriverOptions>, SshConfigDriverOptionsValidator>());
        }

        services.TryAddSingleton<SshConfigDriver>();
        services.AddSingleton<IConfigDriver>(sp => sp.GetRequiredService<SshConfigDriver>());
        return services;
    }
}

/// <summary>Checks <c>ConfigDrivers:Ssh</c>; every failure names its key.</summary>
public sealed class SshConfigDriverOptionsValidator : IValidateOptions<SshConfigDriverOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SshConfigDriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
