using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.UnitTests.Snmp.Driver;

public sealed class DeviceIdentityTests
{
    [Theory]
    [InlineData("1.3.6.1.4.1.9.12.3.1.3.1208", "Cisco Nexus Operating System (NX-OS) Software, Version 9.3(8)", "Cisco", "NX-OS 9.3(8)")]
    [InlineData("1.3.6.1.4.1.30065.1.3011.7048", "Arista Networks EOS version 4.28.3M running on an Arista 7048T", "Arista", "EOS 4.28.3M")]
    [InlineData("1.3.6.1.4.1.6527.1.3.17", "TiMOS-C-22.10.R1 cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2022 Nokia.", "Nokia", "SR OS 22.10.R1")]
    [InlineData("1.3.6.1.4.1.8072.3.2.10", "Linux edge-1 5.10.0-28-amd64 #1 SMP Debian x86_64", "net-snmp", "Linux 5.10.0-28-amd64")]
    [InlineData("1.3.6.1.4.1.8072.3.2.10", "Arista vEOS on Linux", "Arista", "unknown")]
    [InlineData("1.3.6.1.4.1.424242.1", "something", "unknown", "unknown")]
    public void Vendor_and_os_come_from_the_enterprise_number_and_sysDescr(string sysObjectId, string sysDescr, string vendor, string os)
    {
        var identity = DeviceIdentity.Guess(Oid.Parse(sysObjectId), sysDescr);

        Assert.Equal((vendor, os, sysObjectId), (identity.Vendor, identity.OsVersion, identity.Model));
    }

    [Fact]
    public void Chassis_ids_format_the_same_for_every_reader()
    {
        Assert.Equal("02:50:44:00:01:01", LldpIds.Chassis(LldpIds.ChassisMac, [0x02, 0x50, 0x44, 0x00, 0x01, 0x01]));
        Assert.Equal("192.0.2.9", LldpIds.Chassis(LldpIds.ChassisNetworkAddress, [1, 192, 0, 2, 9]));
        Assert.Equal("FOX1234", LldpIds.Chassis(LldpIds.ChassisLocal, "FOX1234"u8));
        Assert.Equal("00:01:ff", LldpIds.Chassis(LldpIds.ChassisLocal, [0x00, 0x01, 0xff]));
    }
}
