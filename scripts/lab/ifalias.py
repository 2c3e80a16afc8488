#!/usr/bin/env python3
"""net-snmp `pass` handler for IF-MIB ifAlias (1.3.6.1.2.1.31.1.1.1.18.<ifIndex>).

net-snmp on Linux does not read the kernel's interface alias (`ip link set dev X alias ...`) and reports an
empty ifAlias; routers report their interface description there. The lab's snmpd passes that one column to
this script, which answers from /sys/class/net/*/ifalias of the device's network namespace, so a description
set on a lab device shows up over SNMP as it would on a router. Newlines become spaces (one value per line
is all the pass protocol carries).
"""
import os
import sys

BASE = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18)


def aliases():
    result = {}
    for name in os.listdir("/sys/class/net"):
        try:
            with open("/sys/class/net/%s/ifindex" % name) as f:
                index = int(f.read().strip())
            with open("/sys/class/net/%s/ifalias" % name, encoding="utf-8", errors="replace") as f:
                alias = f.read()
        except (OSError, ValueError):
            continue
        if alias.endswith("\n"):
            alias = alias[:-1]
        result[index] = alias.replace("\r", " ").replace("\n", " ")
    return result


def parse(oid):
    try:
        return tuple(int(a) for a in oid.strip(".").split(".") if a != "")
    except ValueError:
        return None


def answer(index, alias):
    print(".%s.%d" % (".".join(map(str, BASE)), index))
    print("string")
    print(alias)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("-g", "-n"):
        return 0
    oid = parse(argv[2])
    if oid is None:
        return 0
    table = aliases()
    if argv[1] == "-g":
        if len(oid) == len(BASE) + 1 and oid[: len(BASE)] == BASE and oid[-1] in table:
            answer(oid[-1], table[oid[-1]])
        return 0
    # getnext: the first row after the requested OID
    for index in sorted(table):
        if BASE + (index,) > oid:
            answer(index, table[index])
            break
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
