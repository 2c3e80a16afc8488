#!/usr/bin/env python3
"""Cross-check a running lab against /run/pdsno-lab/lab.json using net-snmp's command-line tools.

For every device: sysName over SNMP, ifName/ifOperStatus of each interface, and the LLDP-MIB
lldpRemTable (1.0.8802.1.1.2.1.4.1.1) must list exactly the expected neighbours, keyed by
lldpRemLocalPortNum (= local ifIndex), with lldpRemSysName (.9) and lldpRemPortId (.7) of the far end.
Links that are down (operstate) are expected to be absent. Exit 0 when everything matches.
Usage: check.py [lab.json]
"""
import json
import subprocess
import sys

LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"


def walk(host, community, oid):
    r = subprocess.run(["snmpbulkwalk", "-v2c", "-c", community, "-t", "2", "-r", "1",
                        "-On", "-Oq", "-Ox", host, oid], capture_output=True, text=True, timeout=30)
    out = {}
    for line in r.stdout.splitlines():
        if not line.startswith("."):
            continue
        k, _, v = line.partition(" ")
        out[k[1:]] = v.strip().strip('"')
    return out


def hex_to_text(v):
    # -Ox prints OCTET STRINGs in hex ("65 74 68 31"); make them text again
    try:
        return bytes.fromhex(v.replace(" ", "")).decode()
    except ValueError:
        return v


def oper_up(ns, ifname):
    r = subprocess.run(["ip", "-n", ns, "-o", "link", "show", ifname], capture_output=True, text=True)
    return "LOWER_UP" in r.stdout


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "/run/pdsno-lab/lab.json"
    lab = json.load(open(path))
    comm = lab["community"]
    devs = {d["name"]: d for d in lab["devices"]}
    expect = {d: set() for d in devs}
    for l in lab["links"]:
        if oper_up(devs[l["a"]]["namespace"], l["aIf"]) and oper_up(devs[l["b"]]["namespace"], l["bIf"]):
            expect[l["a"]].add((l["aIfIndex"], l["b"], l["bIf"]))
            expect[l["b"]].add((l["bIfIndex"], l["a"], l["aIf"]))
    bad = 0
    for name, d in devs.items():
        host = d["mgmtAddress"]
        sysname = walk(host, comm, "1.3.6.1.2.1.1.5")
        sn = hex_to_text(next(iter(sysname.values()), ""))
        ifnames = {int(k.rsplit(".", 1)[1]): hex_to_text(v)
                   for k, v in walk(host, comm, "1.3.6.1.2.1.31.1.1.1.1").items()}
        rem = walk(host, comm, LLDP_REM)
        got = set()
        cols = {}
        for k, v in rem.items():
            parts = k[len(LLDP_REM) + 1:].split(".")
            if not k.startswith(LLDP_REM + ".") or len(parts) != 4:
                continue  # e.g. "No Such Object" for an empty table
            col, timemark, localport, remindex = parts[0], parts[1], int(parts[2]), parts[3]
            cols.setdefault((timemark, localport, remindex), {})[col] = v
        for (_, localport, _), c in cols.items():
            got.add((localport, hex_to_text(c.get("9", "")), hex_to_text(c.get("7", ""))))
        want_ifs = {i["ifIndex"]: i["name"] for i in d["interfaces"]}
        ok = sn == name and got == expect[name] and all(ifnames.get(k) == v for k, v in want_ifs.items())
        bad += not ok
        print("%-4s %-8s %-14s sysName=%s ifaces=%d lldp=%s" % (
            "ok" if ok else "FAIL", name, host, sn, len(ifnames),
            " ".join("%s>%s:%s" % (ifnames.get(p, p), s, i) for p, s, i in sorted(got)) or "-"))
        if not ok and got != expect[name]:
            print("     expected lldp: %s" % " ".join("%s>%s:%s" % (ifnames.get(p, p), s, i)
                                                      for p, s, i in sorted(expect[name])))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
