using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;

namespace Pdsno.UnitTests.Domain;

public class SimulatedNetworkRulesTests
{
    private static readonly string Abilene = ShippedTopologies.Load("Abilene");

    private static readonly SimulatedNetworkDefinition Network = new(3,
    [
        SimulatedNetworkPart.Generated("default", 1, 12, 3),
        SimulatedNetworkPart.Imported("abilene", Abilene, "region-2"),
    ]);

    private static readonly Caller RegionOneOperator = new("acme", "t1", "r1-operator", Roles.Operator, ["region-1"]);
    private static readonly Caller TenantAdmin = new("acme", "t2", "admin", Roles.Admin, []);

    [Fact]
    public void A_region_operator_cannot_replace_the_generated_network_by_importing_under_its_name()
    {
        var refusal = SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("default", Abilene, "region-1"), RegionOneOperator, new SimulationLimits());

        Assert.Equal(PartRefusalKind.Conflict, refusal?.Kind);
        Assert.Contains("generated network", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_region_operator_cannot_replace_a_part_of_another_region_nor_learn_where_it_is()
    {
        var refusal = SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("abilene", Abilene, "region-1"), RegionOneOperator, new SimulationLimits());

        Assert.Equal(PartRefusalKind.Conflict, refusal?.Kind);
        Assert.DoesNotContain("region-2", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Even_a_tenant_admin_does_not_move_a_part_to_another_region_by_reimporting_it()
    {
        var refusal = SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("abilene", Abilene, "region-1"), TenantAdmin, new SimulationLimits());

        Assert.Equal(PartRefusalKind.Conflict, refusal?.Kind);
        Assert.Contains("belongs to region 'region-2'", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_is_replaced_in_its_own_region_and_new_parts_go_where_the_token_reaches()
    {
        var regionTwoOperator = RegionOneOperator with { Regions = ["region-2"] };

        Assert.Null(SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("abilene", Abilene, "region-2"), regionTwoOperator, new SimulationLimits()));
        Assert.Null(SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("mine", Abilene, "region-1"), RegionOneOperator, new SimulationLimits()));
        Assert.Equal(PartRefusalKind.Forbidden, SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("mine", Abilene, "region-3"), RegionOneOperator, new SimulationLimits())?.Kind);
        Assert.Equal(PartRefusalKind.Forbidden, SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Generated("more", 2, 4, 1), RegionOneOperator, new SimulationLimits())?.Kind);
        Assert.Null(SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Generated("default", 2, 4, 1), Caller.System, new SimulationLimits()));
    }

    [Fact]
    public void Parts_and_gml_bytes_per_tenant_are_capped_naming_the_setting()
    {
        var parts = SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("third", Abilene, "region-1"), TenantAdmin, new SimulationLimits { MaxPartsPerTenant = 2 });
        var bytes = SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("third", Abilene, "region-1"), TenantAdmin, new SimulationLimits { MaxGmlBytesPerTenant = (2 * Abilene.Length) - 1 });
        var replacing = SimulatedNetworkRules.CheckPut(Network, SimulatedNetworkPart.Imported("abilene", Abilene, "region-2"), TenantAdmin, new SimulationLimits { MaxPartsPerTenant = 2, MaxGmlBytesPerTenant = Abilene.Length });

        Assert.Equal(PartRefusalKind.Limit, parts?.Kind);
        Assert.Contains("Simulation:Limits:MaxPartsPerTenant is 2", parts!.Message, StringComparison.Ordinal);
        Assert.Equal(PartRefusalKind.Limit, bytes?.Kind);
        Assert.Contains("Simulation:Limits:MaxGmlBytesPerTenant", bytes!.Message, StringComparison.Ordinal);
        Assert.Null(replacing);
    }
}
