using Pdsno.Abstractions.Ids;

namespace Pdsno.UnitTests.Domain;

public class IdsTests
{
    [Theory]
    [InlineData("00:1A:2B:3C:4D:5E")]
    [InlineData("001a.2b3c.4d5e")]
    [InlineData("00-1a-2b-3c-4d-5e")]
    [InlineData("001A2B3C4D5E")]
    public void Every_mac_form_of_a_chassis_is_one_device(string chassis)
    {
        var id = DeviceId.ForChassis("acme", chassis);

        Assert.Equal(DeviceId.ForChassis("acme", "00:1a:2b:3c:4d:5e"), id);
        Assert.Equal("acme/c001a2b3c4d5e", id.ToString());
    }

    [Fact]
    public void Different_macs_are_different_devices()
    {
        Assert.NotEqual(DeviceId.ForChassis("acme", "00:1a:2b:3c:4d:5e"), DeviceId.ForChassis("acme", "00:1a:2b:3c:4d:5f"));
    }

    [Theory]
    [InlineData("Router 1/Core", "s-Router_1_Core-")]
    [InlineData("  spine-01.dc1  ", "s-spine-01.dc1")]
    [InlineData("00:1a:2b:3c:4d", "s-00:1a:2b:3c:4d")]
    [InlineData("SW\t7", "s-SW_7-")]
    public void A_chassis_id_that_is_not_a_mac_becomes_a_safe_slug(string chassis, string expected)
    {
        var id = DeviceId.ForChassis("acme", chassis);

        Assert.StartsWith(expected, id.Device, StringComparison.Ordinal);
        Assert.Equal(id, DeviceId.Parse(id.ToString()));
    }

    [Fact]
    public void A_very_long_chassis_id_is_cut_to_the_longest_key()
    {
        var id = DeviceId.ForChassis("acme", new string('x', 500));

        Assert.Equal(KeyPart.MaxLength, id.Device.Length);
    }

    [Fact]
    public void A_long_hex_chassis_id_is_not_mistaken_for_a_mac()
    {
        var chassis = new string('a', 200);

        var id = DeviceId.ForChassis("acme", chassis);

        Assert.StartsWith("s-aaaa", id.Device, StringComparison.Ordinal);
        Assert.Equal(KeyPart.MaxLength, id.Device.Length);
    }

    [Fact]
    public void A_slug_never_meets_a_mac_key_and_case_is_kept()
    {
        Assert.NotEqual(DeviceId.ForChassis("acme", "00:1a:2b:3c:4d:5e"), DeviceId.ForChassis("acme", "c001a2b3c4d5e"));
        Assert.NotEqual(DeviceId.ForChassis("acme", "Router1"), DeviceId.ForChassis("acme", "router1"));
        Assert.NotEqual(DeviceId.ForChassis("acme", "a b"), DeviceId.ForChassis("acme", "a_b"));
    }

    [Fact]
    public void Chassis_ids_crafted_to_collide_under_a_32_bit_hash_get_different_keys()
    {
        // Both slug to "s-sw-______" and share their 32-bit FNV-1a hash (0x44593b4d), so they used to meet in one
        // device grain: a device could take over another's key by choosing its chassis id.
        const string first = "sw-!!@=`^";
        const string second = "sw-!!|&|%";

        var a = DeviceId.ForChassis("acme", first);
        var b = DeviceId.ForChassis("acme", second);

        Assert.NotEqual(a, b);
        Assert.Matches("^s-sw-______-[0-9a-f]{20}$", a.Device);
        Assert.Equal(a, DeviceId.ForChassis("acme", first));
    }

    [Fact]
    public void Mac_keys_are_unchanged_by_the_hash()
    {
        Assert.Equal("c001a2b3c4d5e", DeviceId.ForChassis("acme", "00-1A-2B-3C-4D-5E").Device);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_chassis_id_is_rejected(string chassis)
    {
        Assert.ThrowsAny<ArgumentException>(() => DeviceId.ForChassis("acme", chassis));
    }

    [Fact]
    public void Region_id_round_trips()
    {
        var id = new RegionId("acme", "eu-west");

        Assert.Equal("acme/eu-west", id.ToString());
        Assert.Equal(id, RegionId.Parse(id.ToString()));
    }

    [Fact]
    public void Device_id_round_trips()
    {
        var id = new DeviceId("acme", "c001a2b3c4d5e");

        Assert.Equal("acme/c001a2b3c4d5e", id.ToString());
        Assert.Equal(id, DeviceId.Parse(id.ToString()));
    }

    [Fact]
    public void Controller_id_round_trips()
    {
        var id = new ControllerId(new RegionId("acme", "eu-west"), "lc-1");

        Assert.Equal("acme/eu-west/lc-1", id.ToString());
        var parsed = ControllerId.Parse(id.ToString());
        Assert.Equal(id, parsed);
        Assert.Equal("eu-west", parsed.Region.Region);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("acme/eu/extra")]
    [InlineData("")]
    public void A_region_key_with_the_wrong_shape_names_the_expected_form(string key)
    {
        var error = Assert.Throws<FormatException>(() => RegionId.Parse(key));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tenant/region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_key_with_the_wrong_shape_names_the_expected_form()
    {
        var error = Assert.Throws<FormatException>(() => DeviceId.Parse("acme/eu/dev"));

        Assert.Contains("tenant/device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_controller_key_with_the_wrong_shape_names_the_expected_form()
    {
        var error = Assert.Throws<FormatException>(() => ControllerId.Parse("acme/eu"));

        Assert.Contains("tenant/region/controller", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_part_is_named_in_the_error()
    {
        var error = Assert.Throws<ArgumentException>(() => RegionId.Parse("/eu"));

        Assert.Equal("tenant", error.ParamName);
        Assert.Contains("tenant must not be empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slash_in_a_part_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new DeviceId("acme", "a/b"));

        Assert.Equal("device", error.ParamName);
        Assert.Contains("contains '/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_in_a_part_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new RegionId("acme", "eu west"));

        Assert.Equal("region", error.ParamName);
        Assert.Contains("contains ' '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_control_character_is_named_by_its_code()
    {
        var error = Assert.Throws<ArgumentException>(() => new ControllerId(new RegionId("acme", "eu"), "lc\u0001"));

        Assert.Equal("controller", error.ParamName);
        Assert.Contains("\\u0001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_longer_than_the_limit_is_rejected_and_the_longest_is_accepted()
    {
        var error = Assert.Throws<ArgumentException>(() => new DeviceId(new string('t', KeyPart.MaxLength + 1), "dev"));

        Assert.Equal("tenant", error.ParamName);
        Assert.Contains($"longer than {KeyPart.MaxLength} characters", error.Message, StringComparison.Ordinal);
        Assert.Equal(KeyPart.MaxLength, new DeviceId(new string('t', KeyPart.MaxLength), "dev").Tenant.Length);
    }
}
