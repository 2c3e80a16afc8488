using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pdsno.Grains.History;
using Pdsno.Storage.ReadModel;
using Pdsno.Storage.Telemetry;

namespace Pdsno.Silo.Analytics;

/// <summary>Interface history (its store, the batch writer discovery records into, the hourly rollup and retention) and the periodic analysis that raises analytics events.</summary>
public static class AnalyticsHosting
{
    /// <summary>Registers the history store, the batch writer (as the grains' <see cref="IHistoryRecorder"/>) and the hourly rollup and retention, with the <c>Analytics</c> settings checked at start.</summary>
    public static WebApplicationBuilder AddPdsnoAnalytics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HistoryWriterOptions>().BindConfiguration(HistoryWriterOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HistoryWriterOptions>, HistoryWriterValidator>();
        builder.Services.TryAddSingleton<SqlStatementCounter>();
        builder.Services.TryAddSingleton<InterfaceHistoryStore>();
        builder.Services.AddSingleton<HistoryWriter>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IHistoryRecorder>(sp => sp.GetRequiredService<HistoryWriter>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HistoryWriter>());
        builder.Services.AddHostedService<HistoryRetention>();
        builder.Services.AddOptions<AnalysisOptionsSection>().BindConfiguration(AnalysisOptionsSection.Section)
            .Validate(o => o.AnalysisInterval >= TimeSpan.FromSeconds(1) && o.AnalysisInterval <= TimeSpan.FromHours(1), "Analytics:AnalysisInterval must be 00:00:01 to 01:00:00")
            .Validate(o => o.ModelRefit >= TimeSpan.FromHours(1) && o.ModelRefit <= TimeSpan.FromDays(7), "Analytics:ModelRefit must be 01:00:00 to 7.00:00:00")
            .ValidateOnStart();
        builder.Services.AddHostedService<AnalyticsSweep>();
        return builder;
    }

    private sealed class HistoryWriterValidator : IValidateOptions<HistoryWriterOptions>
    {
        public ValidateOptionsResult Validate(string? name, HistoryWriterOptions options)
        {
            var problems = new List<string>();
            if (options.HistoryFlushInterval < TimeSpan.FromSeconds(1) || options.HistoryFlushInterval > TimeSpan.FromMinutes(5))
            {
                problems.Add($"Analytics:HistoryFlushInterval is {options.HistoryFlushInterval}; it must be 00:00:01 to 00:05:00");
            }

            if (options.HistoryBatchSize is < 100 or > 100_000)
            {
                problems.Add($"Analytics:HistoryBatchSize is {options.HistoryBatchSize}; it must be 100 to 100000");
            }

            if (options.HistoryMaxPending < options.HistoryBatchSize)
            {
                problems.Add($"Analytics:HistoryMaxPending is {options.HistoryMaxPending}; it must be at least Analytics:HistoryBatchSize ({options.HistoryBatchSize})");
            }

            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
