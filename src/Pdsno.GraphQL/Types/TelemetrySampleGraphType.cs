using GraphQL.Types;
using Pdsno.Abstractions.Devices;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>TelemetrySample</c>: one counter reading of an interface.</summary>
public sealed class TelemetrySampleGraphType : ObjectGraphType<TelemetrySample>
{
    /// <summary>Declares the sample fields.</summary>
    public TelemetrySampleGraphType()
    {
        Name = "TelemetrySample";
        Description = "One counter reading of an interface.";
        Field(x => x.Interface);
        Field(x => x.At);
        Field(x => x.InOctets, type: typeof(NonNullGraphType<ULongGraphType>));
        Field(x => x.OutOctets, type: typeof(NonNullGraphType<ULongGraphType>));
        Field(x => x.InBitsPerSecond);
        Field(x => x.OutBitsPerSecond);
        Field(x => x.InErrors, type: typeof(NonNullGraphType<ULongGraphType>));
        Field(x => x.OutErrors, type: typeof(NonNullGraphType<ULongGraphType>));
        Field(x => x.InUtilization, nullable: true).Description("Inbound rate as % of interface speed; null when the speed or the rate is unknown.");
        Field(x => x.OutUtilization, nullable: true).Description("Outbound rate as % of interface speed; null when the speed or the rate is unknown.");
    }
}
