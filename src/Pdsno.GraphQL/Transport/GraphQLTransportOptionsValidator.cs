using Microsoft.Extensions.Options;

namespace Pdsno.GraphQL.Transport;

/// <summary>Rejects transport settings that cannot work, naming the configuration key.</summary>
internal sealed class GraphQLTransportOptionsValidator : IValidateOptions<GraphQLTransportOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphQLTransportOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add(Describe(nameof(options.MaxRequestBodyBytes), "must be a positive number of bytes", options.MaxRequestBodyBytes));
        }

        if (options.ConnectionInitTimeout <= TimeSpan.Zero)
        {
            failures.Add(Describe(nameof(options.ConnectionInitTimeout), "must be a positive duration (e.g. 00:00:10)", options.ConnectionInitTimeout));
        }

        if (options.OutboundBufferLimit <= 0)
        {
            failures.Add(Describe(nameof(options.OutboundBufferLimit), "must be at least 1 message", options.OutboundBufferLimit));
        }

        if (options.MaxOperationsPerConnection <= 0)
        {
            failures.Add(Describe(nameof(options.MaxOperationsPerConnection), "must be at least 1", options.MaxOperationsPerConnection));
        }

        if (options.KeepAliveInterval is { } keepAlive && keepAlive <= TimeSpan.Zero)
        {
            failures.Add(Describe(nameof(options.KeepAliveInterval), "must be a positive duration or left unset", keepAlive));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Describe(string key, string rule, object value) =>
        $"{GraphQLTransportOptions.SectionName}:{key} {rule}; found '{value}'.";
}
