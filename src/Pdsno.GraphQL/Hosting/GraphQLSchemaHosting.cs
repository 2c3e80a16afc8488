using GraphQL;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Limits;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Hosting;

/// <summary>Registers the PDSNO schema, its read model reader, limits and error handling.</summary>
public static class GraphQLSchemaHosting
{
    /// <summary>
    /// Adds <see cref="PdsnoSchema"/> with System.Text.Json, the graph types of this assembly, the read model reader
    /// (over the host's <c>NpgsqlDataSource</c>), the limits bound from <c>GraphQL:Limits</c> and INTERNAL error masking.
    /// Grain-backed fields resolve <c>IGrainFactory</c> from the host, and mutations are recorded in the host's <c>IAuditChain</c>.
    /// </summary>
    public static IServiceCollection AddPdsnoGraphQLSchema(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GraphQLLimitsOptions>().Bind(configuration.GetSection(GraphQLLimitsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphQLLimitsOptions>, GraphQLLimitsOptionsValidator>());
        services.TryAddSingleton<SqlStatementCounter>();
        services.TryAddSingleton<TopologyReader>();
        services.TryAddSingleton<Storage.Telemetry.InterfaceHistoryStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Analytics.AnalyticsCommands>();
        services.TryAddSingleton<Storage.Audit.AuditChainReader>();
        services.TryAddSingleton<Live.SharedEventResults>();
        services.TryAddTransient(typeof(ConnectionGraphType<,>));
        services.TryAddTransient(typeof(EdgeGraphType<,>));

        services.AddGraphQL(b => b
            .AddSchema<PdsnoSchema>()
            .AddSerializer<Transport.GraphQLResponseSerializer>()
            .AddExecutionStrategy<Execution.QueryExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
            .AddExecutionStrategy<Live.LiveExecutionStrategy>(GraphQLParser.AST.OperationType.Subscription)
            .AddGraphTypes(typeof(PdsnoSchema).Assembly)
            .AddErrorInfoProvider(o => o.ExposeExceptionDetails = false)
            .AddComplexityAnalyzer((o, sp) => QueryCostAnalysis.Configure(o, sp.GetRequiredService<IOptions<GraphQLLimitsOptions>>().Value))
            .AddValidationRule<AliasLimit>(useForCachedDocuments: true)
            .AddValidationRule<Security.AuthorizationRule>(useForCachedDocuments: true)
            .ConfigureExecution<Audit.MutationAudit>()
            .ConfigureExecution<Security.CallerExecution>()
            .ConfigureExecution<InternalErrorHandling>()
            .ConfigureExecution<FragmentLimit>()
            .ConfigureExecution<ExecutionTimeout>());
        return services;
    }
}
