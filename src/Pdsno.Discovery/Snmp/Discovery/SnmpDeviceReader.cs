using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;

namespace Pdsno.Discovery.Snmp.Discovery;

/// <summary>How reading one agent ended.</summary>
public enum SnmpReadOutcome
{
    /// <summary>The agent answered and the device was observed.</summary>
    Observed,

    /// <summary>Nothing answered: no agent, a filtered port or a wrong community (v2c agents stay silent then).</summary>
    Silent,

    /// <summary>The agent answered the system group with an error-status or a packet that did not decode.</summary>
    Failed,
}

/// <summary>The result of reading one agent: the observation, or why there is none, and what was odd about the answers.</summary>
public sealed record SnmpDeviceRead(SnmpReadOutcome Outcome, DeviceObservation? Observation, IReadOnlyList<string> Notes);

/// <summary>
/// Reads one device through SNMPv2c: identity from SNMPv2-MIB, interfaces from IF-MIB, chassis id and neighbours
/// from LLDP-MIB. Only the system group decides whether the device is there; anything later that fails leaves a
/// note and a partial observation, because a device that answers is better recorded with less than not at all.
/// The notes travel with the observation as the device's problems.
/// </summary>
public sealed class SnmpDeviceReader(SnmpClient client, int maxRowsPerTable = 10_000, int maxRowsPerDevice = 30_000)
{
    // No table read here has more than 22 columns; the bound stops an agent that invents columns instead of rows.
    private const int MaxColumns = 32;

    private static readonly Oid SysDescr = Oid.Parse("1.3.6.1.2.1.1.1.0");
    private static readonly Oid SysObjectId = Oid.Parse("1.3.6.1.2.1.1.2.0");
    private static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3.0");
    private static readonly Oid SysName = Oid.Parse("1.3.6.1.2.1.1.5.0");
    private static readonly Oid SysLocation = Oid.Parse("1.3.6.1.2.1.1.6.0");
    private static readonly Oid SysContact = Oid.Parse("1.3.6.1.2.1.1.4.0");
    private static readonly Oid IfEntry = Oid.Parse("1.3.6.1.2.1.2.2.1");
    private static readonly Oid IfXEntry = Oid.Parse("1.3.6.1.2.1.31.1.1.1");
    private static readonly Oid LldpLocChassisIdSubtype = Oid.Parse("1.0.8802.1.1.2.1.3.1.0");
    private static readonly Oid LldpLocChassisId = Oid.Parse("1.0.8802.1.1.2.1.3.2.0");
    private static readonly Oid LldpLocPortEntry = Oid.Parse("1.0.8802.1.1.2.1.3.7.1");
    private static readonly Oid LldpRemEntry = Oid.Parse("1.0.8802.1.1.2.1.4.1.1");

    private const uint IfDescr = 2, IfType = 3, IfMtu = 4, IfSpeed = 5, IfPhysAddress = 6, IfAdminStatus = 7, IfOperStatus = 8;
    private const uint IfInOctets = 10, IfInErrors = 14, IfOutOctets = 16, IfOutErrors = 20;
    private const uint IfName = 1, IfHcInOctets = 6, IfHcOutOctets = 10, IfHighSpeed = 15, IfAlias = 18;
    private const ulong SoftwareLoopback = 24;
    private const uint LocPortIdSubtype = 2, LocPortId = 3, LocPortDesc = 4;
    private const uint RemChassisIdSubtype = 4, RemChassisId = 5, RemPortIdSubtype = 6, RemPortId = 7, RemPortDesc = 8, RemSysName = 9;

    /// <summary>Reads the agent at <paramref name="target"/>; <paramref name="managementAddress"/> is how the device is reached.</summary>
    public async Task<SnmpDeviceRead> ReadAsync(SnmpTarget target, string managementAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var notes = new List<string>();
        IReadOnlyList<VarBind> system;
        try
        {
            system = await client.GetAsync(target, [SysDescr, SysObjectId, SysUpTime, SysName, SysLocation, SysContact], cancellationToken);
        }
        catch (SnmpTimeoutException)
        {
            return new SnmpDeviceRead(SnmpReadOutcome.Silent, null, notes);
        }
        catch (SnmpException ex)
        {
            notes.Add(ex.Message);
            return new SnmpDeviceRead(SnmpReadOutcome.Failed, null, notes);
        }

        var descr = Text(system, 0) ?? "";
        var objectId = system.Count > 1 && system[1].Value.Type == SnmpType.ObjectIdentifier ? system[1].Value.AsOid() : (Oid?)null;
        var sysName = Text(system, 3);

        // The tables are independent of each other, so they are read at once: a device costs the slowest walk, not the sum.
        var budget = new RowBudget(maxRowsPerDevice);
        var ifTable = WalkAsync(target, IfEntry, budget, notes, cancellationToken);
        var ifXTable = WalkAsync(target, IfXEntry, budget, notes, cancellationToken);
        var chassis = LocalChassisAsync(target, notes, cancellationToken);
        var locPorts = WalkAsync(target, LldpLocPortEntry, budget, notes, cancellationToken);
        var remote = WalkAsync(target, LldpRemEntry, budget, notes, cancellationToken);
        await Task.WhenAll(ifTable, ifXTable, chassis, locPorts, remote);

        var interfaceRows = InterfaceRows(await ifTable, await ifXTable);
        var interfaces = Interfaces(interfaceRows, notes);
        var (config, sections) = ObservedConfig(system, interfaceRows, notes);
        var names = interfaces.ToDictionary(i => i.Index, i => i.Name);
        var localPorts = LocalPorts(await locPorts, interfaces);
        var neighbors = Neighbors(await remote, localPorts, names, notes);

        var chassisId = await chassis;
        if (string.IsNullOrEmpty(chassisId))
        {
            // Without LLDP the lowest burned-in MAC is the most stable identity a box has; the address is the last resort.
            chassisId = interfaces
                .Select(i => i.Mac)
                .Where(m => m.Length == 17 && m != "00:00:00:00:00:00")
                .Order(StringComparer.Ordinal)
                .FirstOrDefault() ?? managementAddress;
        }

        var identity = DeviceIdentity.Guess(objectId, descr);
        var observation = new DeviceObservation(
            chassisId,
            string.IsNullOrWhiteSpace(sysName) ? managementAddress : sysName.Trim(),
            identity.Vendor,
            identity.Model,
            identity.OsVersion,
            managementAddress,
            "unknown",
            interfaces,
            neighbors,
            DateTimeOffset.UtcNow,
            system.Count > 2 && system[2].Value.Type == SnmpType.TimeTicks ? (long)system[2].Value.AsUInt64() : null,
            [.. notes],
            config,
            sections);
        return new SnmpDeviceRead(SnmpReadOutcome.Observed, observation, notes);
    }

    /// <summary>The text a management address is recorded as: the address, and the port when it is not 161.</summary>
    public static string ManagementAddressOf(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.Port == SnmpTarget.DefaultPort ? endPoint.Address.ToString() : endPoint.ToString();
    }

    private async Task<string?> LocalChassisAsync(SnmpTarget target, List<string> notes, CancellationToken cancellationToken)
    {
        try
        {
            var values = await client.GetAsync(target, [LldpLocChassisIdSubtype, LldpLocChassisId], cancellationToken);
            if (values.Count < 2 || values[1].Value.Type != SnmpType.OctetString || values[1].Value.AsBytes().IsEmpty)
            {
                return null;
            }

            var subtype = (int)(Number(values[0].Value) ?? 0);
            return LldpIds.Chassis(subtype, values[1].Value.AsBytes().Span);
        }
        catch (SnmpException ex)
        {
            Note(notes, $"lldpLocChassisId: {ex.Message}");
            return null;
        }
    }

    // Returns what the walk got before it failed; half a table is still worth recording.
    // A walk stops (and leaves a note) at the table's or the device's row limit: what was read is kept.
    private async Task<List<VarBind>> WalkAsync(SnmpTarget target, Oid root, RowBudget budget, List<string> notes, CancellationToken cancellationToken)
    {
        var rows = new List<VarBind>();
        var indexes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var varBind in client.WalkAsync(target, root, cancellationToken: cancellationToken))
            {
                // Column then row index: a new index is a new row.
                var index = RowIndex(varBind.Oid, root.Length + 1);
                if (!indexes.Contains(index))
                {
                    if (indexes.Count >= maxRowsPerTable)
                    {
                        Note(notes, $"walk of {root} stopped after {maxRowsPerTable} rows: {SnmpDriverOptions.Section}:MaxRowsPerTable is {maxRowsPerTable}");
                        break;
                    }

                    if (!budget.TryTake())
                    {
                        Note(notes, $"walk of {root} stopped after {indexes.Count} rows: the device reached {SnmpDriverOptions.Section}:MaxRowsPerDevice ({maxRowsPerDevice})");
                        break;
                    }

                    indexes.Add(index);
                }

                if (rows.Count >= maxRowsPerTable * MaxColumns)
                {
                    Note(notes, $"walk of {root} stopped after {rows.Count} values: more than {MaxColumns} columns per row");
                    break;
                }

                rows.Add(varBind);
            }
        }
        catch (SnmpException ex)
        {
            Note(notes, $"walk of {root}: {ex.Message}");
        }

        return rows;
    }

    /// <summary>
    /// The running config SNMP shows: System (sysName, sysLocation, sysContact) when the agent answered them, and
    /// Interfaces (ifAdminStatus, ifAlias, ifMtu, loopbacks left out as config drivers do) when every interface row has
    /// all three and no walk was cut. An agent without a table gives fewer sections, never a wrong empty value.
    /// </summary>
    private static (DeviceConfig? Config, ConfigSections Sections) ObservedConfig(
        IReadOnlyList<VarBind> system, SortedDictionary<int, Dictionary<uint, SnmpValue>> rows, List<string> notes)
    {
        var sections = ConfigSections.None;
        var name = Text(system, 3);
        var location = SnmpDisplayText(Text(system, 4));
        var contact = SnmpDisplayText(Text(system, 5));
        if (name is not null && location is not null && contact is not null)
        {
            sections |= ConfigSections.System;
        }

        var interfaces = ImmutableArray.CreateBuilder<InterfaceConfig>();
        var complete = rows.Count > 0 && !notes.Any(n => n.StartsWith("walk of 1.3.6.1.2.1.", StringComparison.Ordinal));
        foreach (var row in rows.Values)
        {
            var ifName = TextOf(row, 100 + IfName) is { Length: > 0 } n ? n.Trim() : TextOf(row, IfDescr)?.Trim();
            var admin = NumberOf(row, IfAdminStatus);
            var mtu = NumberOf(row, IfMtu);
            var alias = TextOf(row, 100 + IfAlias);
            if (string.IsNullOrEmpty(ifName) || admin is null || mtu is null or > int.MaxValue || alias is null)
            {
                complete = false;
                break;
            }

            if (NumberOf(row, IfType) == SoftwareLoopback)
            {
                continue;
            }

            interfaces.Add(new InterfaceConfig(ifName, admin == 1, alias, (int)mtu.Value));
        }

        if (complete)
        {
            sections |= ConfigSections.Interfaces;
        }

        if (sections == ConfigSections.None)
        {
            return (null, sections);
        }

        var config = new DeviceConfig(
            sections.HasFlag(ConfigSections.System) ? name!.Trim() : "",
            sections.HasFlag(ConfigSections.System) ? location!.Trim() : "",
            sections.HasFlag(ConfigSections.System) ? contact!.Trim() : "",
            [],
            [],
            sections.HasFlag(ConfigSections.Interfaces) ? interfaces.ToImmutable() : [],
            []);
        return (config.Canonical(), sections);
    }

    // ifTable and ifXTable rows by ifIndex; ifXTable columns are kept apart from ifTable's by an offset of 100.
    private static SortedDictionary<int, Dictionary<uint, SnmpValue>> InterfaceRows(List<VarBind> ifTable, List<VarBind> ifXTable)
    {
        var rows = new SortedDictionary<int, Dictionary<uint, SnmpValue>>();
        foreach (var table in new[] { (ifTable, IfEntry, 0u), (ifXTable, IfXEntry, 100u) })
        {
            foreach (var varBind in table.Item1)
            {
                // Column then a single ifIndex arc; ifXTable columns are kept apart from ifTable's by an offset.
                var arcs = varBind.Oid.Arcs[table.Item2.Length..];
                if (arcs.Length != 2 || arcs[1] is 0 or > int.MaxValue)
                {
                    continue;
                }

                var index = (int)arcs[1];
                if (!rows.TryGetValue(index, out var row))
                {
                    rows[index] = row = [];
                }

                row[arcs[0] + table.Item3] = varBind.Value;
            }
        }

        return rows;
    }

    // net-snmp cannot be configured with an empty sysLocation/sysContact; config drivers write "" for empty.
    private static string? SnmpDisplayText(string? value) => value == "\"\"" ? "" : value;

    private static ImmutableArray<InterfaceObservation> Interfaces(SortedDictionary<int, Dictionary<uint, SnmpValue>> rows, List<string> notes)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<InterfaceObservation>(rows.Count);
        foreach (var (index, row) in rows)
        {
            var name = TextOf(row, 100 + IfName);
            if (string.IsNullOrWhiteSpace(name))
            {
                name = TextOf(row, IfDescr);
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                name = "ifIndex" + index.ToString(CultureInfo.InvariantCulture);
                Note(notes, $"ifIndex {index} has no name; recorded as {name}");
            }

            name = name.Trim();
            if (!used.Add(name))
            {
                // Interfaces are keyed by name downstream: a second interface with the same name keeps its index in it.
                var unique = $"{name}#{index.ToString(CultureInfo.InvariantCulture)}";
                Note(notes, $"interface name {name} is reported twice; ifIndex {index} recorded as {unique}");
                name = unique;
                used.Add(name);
            }

            long speed = 0;
            var high = NumberOf(row, 100 + IfHighSpeed);
            var low = NumberOf(row, IfSpeed);
            if (high is > 0)
            {
                speed = (long)Math.Min(high.Value, (ulong)(long.MaxValue / 1_000_000)) * 1_000_000;
            }
            else if (low is > 0)
            {
                speed = (long)low.Value;
            }

            var mac = row.TryGetValue(IfPhysAddress, out var phys) && phys.Type == SnmpType.OctetString
                ? LldpIds.Mac(phys.AsBytes().Span)
                : "";
            var admin = NumberOf(row, IfAdminStatus) is 2 or 3 ? AdminStatus.Down : AdminStatus.Up;
            var oper = NumberOf(row, IfOperStatus) switch
            {
                1 => OperStatus.Up,
                2 or 3 or 5 or 6 or 7 => OperStatus.Down,
                _ => OperStatus.Unknown,
            };
            var inOctets = NumberOf(row, 100 + IfHcInOctets) ?? NumberOf(row, IfInOctets) ?? 0;
            var outOctets = NumberOf(row, 100 + IfHcOutOctets) ?? NumberOf(row, IfOutOctets) ?? 0;
            result.Add(new InterfaceObservation(
                index, name, mac, speed, admin, oper, inOctets, outOctets,
                NumberOf(row, IfInErrors) ?? 0, NumberOf(row, IfOutErrors) ?? 0,
                NumberOf(row, 100 + IfHcInOctets) is not null && NumberOf(row, 100 + IfHcOutOctets) is not null));
        }

        return result.MoveToImmutable();
    }

    // LLDP port number to local interface name. The port id says it best (a name, or a MAC to look up); lldpd and
    // many switches number ports by ifIndex, which is the next best guess.
    private static Dictionary<uint, string> LocalPorts(List<VarBind> locPortTable, ImmutableArray<InterfaceObservation> interfaces)
    {
        var byName = interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var byMac = interfaces.Where(i => i.Mac.Length == 17).GroupBy(i => i.Mac, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var byIndex = interfaces.ToDictionary(i => (uint)i.Index, i => i.Name);
        var rows = Rows(locPortTable, LldpLocPortEntry, 1);
        var result = new Dictionary<uint, string>(byIndex);
        foreach (var (key, row) in rows)
        {
            var port = key[0];
            var subtype = (int)(NumberOf(row, LocPortIdSubtype) ?? 0);
            var id = row.TryGetValue(LocPortId, out var idValue) && idValue.Type == SnmpType.OctetString
                ? LldpIds.Port(subtype, idValue.AsBytes().Span)
                : null;
            var desc = TextOf(row, LocPortDesc);
            if (id is not null && byName.Contains(id))
            {
                result[port] = id;
            }
            else if (id is not null && subtype == LldpIds.PortMac && byMac.TryGetValue(id, out var macName))
            {
                result[port] = macName;
            }
            else if (desc is not null && byName.Contains(desc))
            {
                result[port] = desc;
            }
            else if (!result.ContainsKey(port) && !string.IsNullOrWhiteSpace(id))
            {
                result[port] = id;
            }
        }

        return result;
    }

    private static ImmutableArray<NeighborObservation> Neighbors(
        List<VarBind> remTable, Dictionary<uint, string> localPorts, Dictionary<int, string> names, List<string> notes)
    {
        var result = ImmutableArray.CreateBuilder<NeighborObservation>();
        var seen = new HashSet<(string, string, string)>();

        // Index is lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex; all three come from the OID, none is assumed.
        foreach (var (key, row) in Rows(remTable, LldpRemEntry, 3))
        {
            var localPort = key[1];
            if (!row.TryGetValue(RemChassisId, out var chassisValue) || chassisValue.Type != SnmpType.OctetString || chassisValue.AsBytes().IsEmpty)
            {
                Note(notes, $"LLDP neighbour on local port {localPort} has no chassis id; ignored");
                continue;
            }

            var chassis = LldpIds.Chassis((int)(NumberOf(row, RemChassisIdSubtype) ?? 0), chassisValue.AsBytes().Span);
            var portSubtype = (int)(NumberOf(row, RemPortIdSubtype) ?? 0);
            var portId = row.TryGetValue(RemPortId, out var portValue) && portValue.Type == SnmpType.OctetString
                ? LldpIds.Port(portSubtype, portValue.AsBytes().Span)
                : "";

            var remotePort = RemotePortName(portSubtype, portId, TextOf(row, RemPortDesc));
            var localName = localPorts.TryGetValue(localPort, out var mapped)
                ? mapped
                : names.GetValueOrDefault((int)Math.Min(localPort, int.MaxValue)) ?? "port" + localPort.ToString(CultureInfo.InvariantCulture);
            var sysName = TextOf(row, RemSysName);
            if (seen.Add((localName, chassis, remotePort)))
            {
                result.Add(new NeighborObservation(localName, chassis, remotePort, string.IsNullOrWhiteSpace(sysName) ? null : sysName));
            }
        }

        return result.ToImmutable();
    }

    // Links are matched on the far device's interface name, so a name is preferred to whatever id the port sends:
    // an interfaceName id, a local id that is not just a number (Junos sends the ifIndex as "local"), then a port
    // description that reads like a name, and the raw id last.
    private static string RemotePortName(int subtype, string portId, string? portDesc)
    {
        if (portId.Length > 0
            && (subtype == LldpIds.PortInterfaceName || (subtype == LldpIds.PortLocal && !portId.All(char.IsAsciiDigit))))
        {
            return portId;
        }

        return LldpIds.LooksLikeInterfaceName(portDesc) ? portDesc!.Trim() : portId;
    }

    // Groups a table walk into rows: the column arc, then indexLength index arcs.
    private static List<(uint[] Key, Dictionary<uint, SnmpValue> Row)> Rows(List<VarBind> walk, Oid entry, int indexLength)
    {
        var rows = new Dictionary<string, (uint[] Key, Dictionary<uint, SnmpValue> Row)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var varBind in walk)
        {
            var arcs = varBind.Oid.Arcs[entry.Length..];
            if (arcs.Length != 1 + indexLength)
            {
                continue;
            }

            var key = arcs[1..].ToArray();
            var text = string.Join('.', key);
            if (!rows.TryGetValue(text, out var row))
            {
                row = (key, []);
                rows[text] = row;
                order.Add(text);
            }

            row.Row[arcs[0]] = varBind.Value;
        }

        return order.Select(k => rows[k]).ToList();
    }

    private static string? Text(IReadOnlyList<VarBind> values, int index) =>
        index < values.Count && values[index].Value.Type == SnmpType.OctetString ? values[index].Value.AsString() : null;

    private static string? TextOf(Dictionary<uint, SnmpValue> row, uint column) =>
        row.TryGetValue(column, out var value) && value.Type == SnmpType.OctetString ? LldpIds.Text(value.AsBytes().Span) : null;

    private static ulong? NumberOf(Dictionary<uint, SnmpValue> row, uint column) =>
        row.TryGetValue(column, out var value) ? Number(value) : null;

    private static ulong? Number(SnmpValue value) => value.Type switch
    {
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 => value.AsUInt64(),
        SnmpType.Integer32 when value.AsInt64() >= 0 => (ulong)value.AsInt64(),
        _ => null,
    };

    // Several tables are read at once, so notes are added under a lock.
    private static string RowIndex(Oid oid, int from)
    {
        var arcs = oid.Arcs;
        if (arcs.Length <= from)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder();
        foreach (var arc in arcs[from..])
        {
            text.Append(arc).Append('.');
        }

        return text.ToString();
    }

    private static void Note(List<string> notes, string note)
    {
        lock (notes)
        {
            notes.Add(note);
        }
    }

    /// <summary>Rows left for one device's walks, shared by the walks that run at once.</summary>
    private sealed class RowBudget(int rows)
    {
        private int _left = rows;

        public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
    }
}
