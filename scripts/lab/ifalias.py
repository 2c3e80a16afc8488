#!/usr/bin/env python3
"""net-snmp `pass_persist` handler for IF-MIB ifAlias (1.3.6.1.2.1.31.1.1.1.18.<ifIndex>).

net-snmp on Linux does not read the kernel's interface alias (`ip link set dev X alias ...`) and reports an
empty ifAlias; routers report their interface description there. The lab's snmpd passes that one column to
this script, which answers from /sys/class/net/*/ifalias of the device's network namespace, so a description
set on a lab device shows up over SNMP as it would on a router. Newlines become spaces (one value per line
is all the pass protocol carries). It stays running (pass_persist): snmpd answers nothing else while a
handler works, and starting python for every request made agents slow enough to miss discovery timeouts.
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
    return ".%s.%d\nstring\n%s\n" % (".".join(map(str, BASE)), index, alias)


def lookup(command, oid):
    table = aliases()
    if command == "get":
        if len(oid) == len(BASE) + 1 and oid[: len(BASE)] == BASE and oid[-1] in table:
            return answer(oid[-1], table[oid[-1]])
        return "NONE\n"
    # getnext: the first row after the requested OID
    for index in sorted(table):
        if BASE + (index,) > oid:
            return answer(index, table[index])
    return "NONE\n"


def main():
    # pass_persist protocol: PING -> PONG; "get"/"getnext" then an OID -> OID, type, value or NONE; "set" is refused.
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        command = line.strip()
        if command == "PING":
            sys.stdout.write("PONG\n")
        elif command in ("get", "getnext"):
            oid = parse(sys.stdin.readline())
            sys.stdout.write("NONE\n" if oid is None else lookup(command, oid))
        elif command == "set":
            sys.stdin.readline()
            sys.stdin.readline()
            sys.stdout.write("not-writable\n")
        elif command == "":
            continue
        else:
            sys.stdout.write("NONE\n")
        sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
