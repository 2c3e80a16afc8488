using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pdsno.Storage.ReadModel;
using Pdsno.Storage.Telemetry;

namespace Pdsno.Silo.Analytics;

/// <summary>Interface history storage and its retention.</summary>
public static class AnalyticsHosting
{
    /// <summary>Registers the history store and the hourly retention, with <c>Analytics:HistoryRetentionDays</c> checked at start.</summary>
    public static WebApplicationBuilder AddPdsnoAnalytics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HistoryRetentionOptions>().BindConfiguration(HistoryRetentionOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HistoryRetentionOptions>, HistoryRetentionValidator>();
        builder.Services.TryAddSingleton<SqlStatementCounter>();
        builder.Services.TryAddSingleton<InterfaceHistoryStore>();
        builder.Services.AddHostedService<HistoryRetention>();
        return builder;
    }

    private sealed class HistoryRetentionValidator : IValidateOptions<HistoryRetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, HistoryRetentionOptions options) =>
            options.HistoryRetentionDays is >= 8 and <= 400
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Analytics:HistoryRetentionDays is {options.HistoryRetentionDays}; it must be 8 (the least a forecast needs) to 400");
    }
}
