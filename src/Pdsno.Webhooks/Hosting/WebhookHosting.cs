using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pdsno.Storage.ReadModel;
using Pdsno.Webhooks.Delivery;
using Pdsno.Webhooks.Storage;

namespace Pdsno.Webhooks.Hosting;

/// <summary>Registers webhook storage and, on silos, the delivery loops.</summary>
public static class WebhookHosting
{
    /// <summary>Adds the webhook store, settings (<c>Webhooks</c>, validated at start), sender and the dispatcher that runs this silo's deliveries.</summary>
    public static IHostApplicationBuilder AddPdsnoWebhooks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqlStatementCounter>();
        services.TryAddSingleton<TopologyReader>();
        services.TryAddSingleton<WebhookStore>();
        services.TryAddSingleton(sp => new WebhookSender(sp.GetRequiredService<IOptions<WebhookOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        // The API host replaces this with the topology stream's signal; without it loops poll the log.
        services.TryAddSingleton<ITenantWakeups, PollingWakeups>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return builder;
    }
}
