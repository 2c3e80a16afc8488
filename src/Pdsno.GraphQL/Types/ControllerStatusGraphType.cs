using GraphQL.Types;
using Pdsno.Abstractions.Regions;

namespace Pdsno.GraphQL.Types;

/// <summary>GraphQL <c>ControllerStatus</c>: a local controller's schedule and its last cycle.</summary>
public sealed class ControllerStatusGraphType : ObjectGraphType<ControllerStatus>
{
    /// <summary>Declares the status fields.</summary>
    public ControllerStatusGraphType()
    {
        Name = "ControllerStatus";
        Description = "A local controller of a region: its schedule and the outcome of its last discovery cycle.";
        Field(x => x.Id).Description("The controller key, tenant/region/controller.");
        Field(x => x.Driver).Description("The discovery driver it runs.");
        Field<NonNullGraphType<FloatGraphType>>("intervalSeconds").Description("The current (possibly adapted) discovery interval.").Resolve(c => c.Source.Interval.TotalSeconds);
        Field(x => x.CyclesRun, type: typeof(NonNullGraphType<LongGraphType>)).Description("Cycles run since the controller was activated.");
        Field(x => x.LastCycleStarted, nullable: true);
        Field(x => x.LastCycleFinished, nullable: true);
        Field(x => x.LastCycleDevices).Description("Devices the last complete cycle saw.");
        Field(x => x.LastError, nullable: true).Description("Why the last cycle failed; null when it succeeded.");
        Field(x => x.Overdue).Description("True when no cycle finished for more than two intervals.");
    }
}
