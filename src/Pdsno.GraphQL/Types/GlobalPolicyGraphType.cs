using GraphQL.Types;
using Pdsno.Abstractions.Policy;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>GlobalPolicy</c>: the tenant-wide policy the global tier publishes to regions.</summary>
public sealed class GlobalPolicyGraphType : ObjectGraphType<GlobalPolicy>
{
    /// <summary>Declares the policy fields.</summary>
    public GlobalPolicyGraphType()
    {
        Name = "GlobalPolicy";
        Description = "The tenant-wide policy published to every region.";
        Field(x => x.Version, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<FloatGraphType>>("discoveryIntervalSeconds").Resolve(c => c.Source.DiscoveryInterval.TotalSeconds);
        Field<FloatGraphType>("minimumIntervalSeconds").Description("The shortest adaptive interval; null when the interval is fixed.").Resolve(c => c.Source.MinimumInterval?.TotalSeconds);
        Field<FloatGraphType>("maximumIntervalSeconds").Description("The longest adaptive interval; null when the interval is fixed.").Resolve(c => c.Source.MaximumInterval?.TotalSeconds);
        Field(x => x.MissedCyclesUntilInactive).Description("Missed discovery cycles after which a device becomes INACTIVE.");
        Field<NonNullGraphType<Analytics.AnalyticsPolicyGraphType>>("analytics").Description("History retention and congestion prediction.").Resolve(c => c.Source.Analytics);
    }
}
