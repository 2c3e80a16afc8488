using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Pdsno.GraphQL;

/// <summary>The one PDSNO schema: queries always, mutations and subscriptions once they declare fields.</summary>
public sealed class PdsnoSchema : Schema
{
    /// <summary>Builds the schema from the graph types registered in <paramref name="services"/>.</summary>
    public PdsnoSchema(IServiceProvider services)
        : base(services)
    {
        Description = "PDSNO: topology, policy and live changes of a multi-vendor network.";
        Query = services.GetRequiredService<Query>();

        // GraphQL rejects object types without fields, so the roots join the schema only once they have some.
        var mutation = services.GetRequiredService<Mutation>();
        if (mutation.Fields.Count > 0)
        {
            Mutation = mutation;
        }

        var subscription = services.GetRequiredService<Subscription>();
        if (subscription.Fields.Count > 0)
        {
            Subscription = subscription;
        }
    }
}
