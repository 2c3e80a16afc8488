#!/usr/bin/env python3
"""Topology planner and state writer for scripts/lab.sh (stdlib only).

plan  --topology ring|tree|FILE.gml --devices N --name PREFIX
      prints a line-based plan that lab.sh executes:
        D <idx> <name> <namespace> <mgmtAddress> <label>
        L <k> <devA> <ifA> <addrA> <devB> <ifB> <addrB>
state --plan FILE --community C --out FILE
      reads the plan plus the live interfaces (ip -j -n <ns> link/addr) and
      writes the machine-readable lab.json.
"""
import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys
import time

MGMT_PREFIX = os.environ.get("PDSNO_LAB_MGMT_PREFIX", "100.64")   # /16
LINK_PREFIX = os.environ.get("PDSNO_LAB_LINK_PREFIX", "100.65")   # /16, one /31 per link
MGMT_GW = MGMT_PREFIX + ".0.1"
MGMT_IF = "mgmt0"
NS_PREFIX = "pdsno-"


def die(msg):
    print("labtopo: " + msg, file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- GML parsing
_TOKEN = re.compile(r'\s*(?:(\[)|(\])|"((?:[^"\\]|\\.)*)"|([^\s\[\]"]+))', re.S)


def _tokens(text):
    # strip comment lines (GML uses '#' comments at line start)
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            if text[pos:].strip() == "":
                return
            die("GML: cannot tokenize near %r" % text[pos:pos + 40])
        pos = m.end()
        if m.group(1):
            yield ("[", None)
        elif m.group(2):
            yield ("]", None)
        elif m.group(3) is not None:
            yield ("str", m.group(3))
        elif m.group(4) is not None:
            yield ("atom", m.group(4))


def _parse_list(toks, top=False):
    """Returns a list of (key, value); value is str or nested list."""
    out = []
    while True:
        t = next(toks, None)
        if t is None:
            if top:
                return out
            die("GML: unexpected end of file")
        kind, val = t
        if kind == "]":
            if top:
                die("GML: unbalanced ']'")
            return out
        if kind != "atom":
            die("GML: expected a key, got %r" % (val,))
        key = val
        v = next(toks, None)
        if v is None:
            die("GML: key %s without value" % key)
        if v[0] == "[":
            out.append((key, _parse_list(toks)))
        elif v[0] == "]":
            die("GML: key %s without value" % key)
        else:
            out.append((key, v[1]))


def parse_gml(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        items = _parse_list(_tokens(f.read()), top=True)
    graphs = [v for k, v in items if k == "graph" and isinstance(v, list)]
    if not graphs:
        die("GML: no 'graph [ ... ]' in %s" % path)
    g = graphs[0]
    nodes, edges = [], []
    for k, v in g:
        if k == "node" and isinstance(v, list):
            d = {kk: vv for kk, vv in v if not isinstance(vv, list)}
            if "id" not in d:
                die("GML: node without id")
            nodes.append((d["id"], d.get("label", d["id"])))
        elif k == "edge" and isinstance(v, list):
            d = {kk: vv for kk, vv in v if not isinstance(vv, list)}
            if "source" not in d or "target" not in d:
                die("GML: edge without source/target")
            edges.append((d["source"], d["target"]))
    return nodes, edges


# ---------------------------------------------------------------- planning
def addr(prefix16, n):
    return "%s.%d.%d" % (prefix16, n // 256, n % 256)


def plan(args):
    topo = args.topology
    label = {}
    if topo == "ring":
        n = args.devices
        if n < 1:
            die("--devices must be >= 1")
        pairs = [(i, i + 1) for i in range(n - 1)]
        if n > 2:
            pairs.append((n - 1, 0))
    elif topo == "tree":
        n = args.devices
        if n < 1:
            die("--devices must be >= 1")
        pairs = [((c - 1) // 2, c) for c in range(1, n)]
    elif topo.endswith(".gml") or os.path.isfile(topo):
        if not os.path.isfile(topo):
            die("topology file not found: %s" % topo)
        nodes, edges = parse_gml(topo)
        if not nodes:
            die("GML has no nodes")
        index = {}
        for i, (nid, lab) in enumerate(nodes):
            if nid in index:
                die("GML: duplicate node id %s" % nid)
            index[nid] = i
            label[i] = lab
        n = len(nodes)
        pairs = []
        for s, t in edges:
            if s not in index or t not in index:
                die("GML: edge %s-%s references an unknown node" % (s, t))
            if s == t:
                print("labtopo: skipping self-loop on node %s" % s, file=sys.stderr)
                continue
            pairs.append((index[s], index[t]))
    else:
        die("unknown topology %r (ring, tree or a .gml file)" % topo)

    if n + 10 > 65000:
        die("too many devices")
    if len(pairs) * 2 > 65536:
        die("too many links")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{0,7}", args.name):
        die("--name must match [A-Za-z][A-Za-z0-9-]{0,7}")

    names = ["%s%d" % (args.name, i + 1) for i in range(n)]
    nif = [0] * n
    out = []
    for i in range(n):
        lab = re.sub(r"\s+", "_", str(label.get(i, names[i]))) or names[i]
        out.append("D %d %s %s%s %s %s" % (i, names[i], NS_PREFIX, names[i],
                                           addr(MGMT_PREFIX, 10 + i), lab))
    for k, (a, b) in enumerate(pairs):
        nif[a] += 1
        nif[b] += 1
        out.append("L %d %s eth%d %s %s eth%d %s" % (
            k, names[a], nif[a], addr(LINK_PREFIX, 2 * k),
            names[b], nif[b], addr(LINK_PREFIX, 2 * k + 1)))
    print("\n".join(out))


# ---------------------------------------------------------------- state file
def ipj(ns, *what):
    r = subprocess.run(["ip", "-j", "-n", ns] + list(what), capture_output=True,
                       text=True, timeout=10)
    if r.returncode != 0:
        return []
    try:
        return json.loads(r.stdout or "[]")
    except ValueError:
        return []


def state(args):
    devices, links = [], []
    with open(args.plan) as f:
        for line in f:
            p = line.split()
            if not p:
                continue
            if p[0] == "D":
                devices.append({"index": int(p[1]), "name": p[2], "namespace": p[3],
                                "mgmtAddress": p[4], "label": " ".join(p[5:]).replace("_", " ")})
            elif p[0] == "L":
                links.append({"a": p[2], "aIf": p[3], "aAddress": p[4],
                              "b": p[5], "bIf": p[6], "bAddress": p[7]})
    byname = {d["name"]: d for d in devices}
    peer = {}
    for l in links:
        peer[(l["a"], l["aIf"])] = (l["b"], l["bIf"], l["aAddress"])
        peer[(l["b"], l["bIf"])] = (l["a"], l["aIf"], l["bAddress"])
    for d in devices:
        ns = d["namespace"]
        d["mgmtInterface"] = MGMT_IF
        d["sysName"] = d["name"]
        d["sysLocation"] = "PDSNO lab, rack %d, netns %s" % (d["index"] + 1, ns)
        d["snmpPort"] = 161
        d["lldpSocket"] = "/run/pdsno-lab/%s/lldpd.ctl" % d["name"]
        addrs = {}
        for a in ipj(ns, "addr", "show"):
            for ai in a.get("addr_info", []):
                if ai.get("family") == "inet":
                    addrs.setdefault(a["ifname"], "%s/%s" % (ai["local"], ai["prefixlen"]))
        ifs = []
        for l in ipj(ns, "link", "show"):
            name = l.get("ifname")
            e = {"name": name, "ifIndex": l.get("ifindex"), "mac": l.get("address"),
                 "mtu": l.get("mtu"),
                 "address": addrs.get(name)}
            if name == "lo":
                e["role"] = "loopback"
            elif name == MGMT_IF:
                e["role"] = "management"
            else:
                e["role"] = "data"
                if (d["name"], name) in peer:
                    pd, pi, _ = peer[(d["name"], name)]
                    e["peer"] = {"device": pd, "interface": pi}
            ifs.append(e)
        d["interfaces"] = ifs
    ifindex = {(d["name"], i["name"]): i["ifIndex"] for d in devices for i in d["interfaces"]}
    for l in links:
        l["aIfIndex"] = ifindex.get((l["a"], l["aIf"]))
        l["bIfIndex"] = ifindex.get((l["b"], l["bIf"]))
    doc = {
        "version": 1,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "name": args.name,
        "topology": args.topology,
        "community": args.community,
        "mgmtNetwork": MGMT_PREFIX + ".0.0/16",
        "mgmtGateway": MGMT_GW,
        "mgmtBridge": args.bridge,
        "linkNetwork": LINK_PREFIX + ".0.0/16",
        "lldp": {"txInterval": args.tx_interval, "txHold": args.tx_hold,
                 "portIdSubtype": "ifname"},
        "devices": devices,
        "links": links,
    }
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.out)


# ---------------------------------------------------------------- overlap check
def overlap(args):
    """Exit 1 (and print the route) if a host route overlaps one of the nets."""
    nets = [ipaddress.ip_network(n) for n in args.nets]
    r = subprocess.run(["ip", "-j", "-4", "route", "show", "table", "all"],
                       capture_output=True, text=True, timeout=10)
    try:
        routes = json.loads(r.stdout or "[]")
    except ValueError:
        routes = []
    bad = []
    for rt in routes:
        dst = rt.get("dst")
        if not dst or dst == "default" or rt.get("dev") == args.ignore_dev:
            continue
        if rt.get("type") in ("broadcast", "local") and rt.get("dev") == args.ignore_dev:
            continue
        try:
            net = ipaddress.ip_network(dst if "/" in dst else dst + "/32", strict=False)
        except ValueError:
            continue
        if net.prefixlen == 0:
            continue
        for n in nets:
            if net.overlaps(n):
                bad.append("%s dev %s table %s" % (dst, rt.get("dev"), rt.get("table", "main")))
    if bad:
        print("\n".join(bad))
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--topology", default="ring")
    p.add_argument("--devices", type=int, default=4)
    p.add_argument("--name", default="lab")
    s = sub.add_parser("state")
    s.add_argument("--plan", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--community", default="public")
    s.add_argument("--name", default="lab")
    s.add_argument("--topology", default="ring")
    s.add_argument("--bridge", default="pdsno-mgmt")
    s.add_argument("--tx-interval", type=int, default=2)
    s.add_argument("--tx-hold", type=int, default=3)
    o = sub.add_parser("overlap")
    o.add_argument("--ignore-dev", default="pdsno-mgmt")
    o.add_argument("nets", nargs="+")
    a = ap.parse_args()
    {"plan": plan, "state": state, "overlap": overlap}[a.cmd](a)


if __name__ == "__main__":
    main()
