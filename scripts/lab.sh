#!/usr/bin/env bash
# PDSNO lab: a real SNMP/LLDP network built from Linux network namespaces.
#
#   scripts/lab.sh up [--topology ring|tree|FILE.gml] [--devices N] [--name PREFIX] [--no-wait]
#   scripts/lab.sh down
#   scripts/lab.sh status
#   scripts/lab.sh wait [TIMEOUT_SECONDS]        # wait until every LLDP neighbour is in LLDP-MIB
#   scripts/lab.sh link-down A B | link-up A B   # both ends of every data link between A and B
#   scripts/lab.sh traffic A B SECONDS           # ping flood (1400 B) from A to B across their link
#   scripts/lab.sh exec DEVICE CMD...            # run a command inside a device's namespace
#   scripts/lab.sh restart DEVICE                # restart a device's snmpd+lldpd+sshd (sysUpTime resets)
#   scripts/lab.sh check                         # SNMP cross-check of sysName, ifName, lldpRemTable vs lab.json
#
# Every device is a namespace pdsno-<name> running snmpd (AgentX master, UDP 161 on its management
# address only), lldpd (AgentX subagent publishing LLDP-MIB) and sshd (TCP 22 on its management
# address, key login as root with the lab's client key). Each device also has its own UTS namespace
# (host name) and mount namespace with a copy-on-write /etc, so what is written into a device stays
# in it. The host reaches all devices over the bridge pdsno-mgmt (100.64.0.1/16). See
# scripts/lab/README.md for addressing, expected OIDs and the SSH key.
#
# Environment: PDSNO_LAB_COMMUNITY (default public), PDSNO_LAB_LLDP_TX_INTERVAL (2),
# PDSNO_LAB_LLDP_TX_HOLD (3), PDSNO_LAB_WAIT_TIMEOUT (60), PDSNO_LAB_MGMT_PREFIX (100.64),
# PDSNO_LAB_LINK_PREFIX (100.65).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LABDIR="$HERE/lab"
TOPO="$LABDIR/labtopo.py"
STATE=/run/pdsno-lab
LOCK=/run/pdsno-lab.lock
BRIDGE=pdsno-mgmt
NS_PREFIX=pdsno-
HOSTVETH_PREFIX=pdsno-m
LLDPD_CHROOT=/run/lldpd
SSH_DIR="$STATE/ssh"
COMMUNITY="${PDSNO_LAB_COMMUNITY:-public}"
TX_INTERVAL="${PDSNO_LAB_LLDP_TX_INTERVAL:-2}"
TX_HOLD="${PDSNO_LAB_LLDP_TX_HOLD:-3}"
WAIT_TIMEOUT="${PDSNO_LAB_WAIT_TIMEOUT:-60}"
export PDSNO_LAB_MGMT_PREFIX="${PDSNO_LAB_MGMT_PREFIX:-100.64}"
export PDSNO_LAB_LINK_PREFIX="${PDSNO_LAB_LINK_PREFIX:-100.65}"
MGMT_GW="$PDSNO_LAB_MGMT_PREFIX.0.1"
MGMT_NET="$PDSNO_LAB_MGMT_PREFIX.0.0/16"
LINK_NET="$PDSNO_LAB_LINK_PREFIX.0.0/16"
export MIBS=""   # numeric OIDs only; Debian ships no MIB files by default

log()  { printf '[lab] %s\n' "$*" >&2; }
die()  { printf '[lab] error: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

take_lock() {
    exec 9>"$LOCK"
    if command -v flock >/dev/null 2>&1; then
        flock -w 120 9 || die "another lab.sh holds $LOCK"
    fi
}

# ------------------------------------------------------------------ packages
ensure_packages() {
    local missing=()
    [ -x /usr/sbin/snmpd ] || missing+=(snmpd)
    command -v snmpbulkwalk >/dev/null 2>&1 || missing+=(snmp)
    [ -x /usr/sbin/lldpd ] && command -v lldpcli >/dev/null 2>&1 || missing+=(lldpd)
    command -v ip >/dev/null 2>&1 || missing+=(iproute2)
    command -v ping >/dev/null 2>&1 || missing+=(iputils-ping)
    command -v python3 >/dev/null 2>&1 || missing+=(python3)
    command -v flock >/dev/null 2>&1 && command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
    [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-server)
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing: ${missing[*]}"
    # Keep the Debian services from starting during the install (standard policy-rc.d mechanism).
    local made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    local rc=0
    export DEBIAN_FRONTEND=noninteractive
    if ! timeout 600 apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/pdsno-lab-apt.log 2>&1; then
        timeout 300 apt-get update >>/tmp/pdsno-lab-apt.log 2>&1 || true
        timeout 600 apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/pdsno-lab-apt.log 2>&1 || rc=$?
    fi
    [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ "$rc" = 0 ] || { tail -20 /tmp/pdsno-lab-apt.log >&2; die "apt-get install failed (see /tmp/pdsno-lab-apt.log)"; }
    # The lab runs its own per-namespace daemons; the host-wide services must not run.
    local svc
    for svc in snmpd lldpd openssh-server; do
        case " ${missing[*]} " in *" $svc "*) ;; *) continue ;; esac
        [ "$svc" = openssh-server ] && svc=ssh
        if [ -d /run/systemd/system ]; then
            systemctl disable --now "$svc" >/dev/null 2>&1 || true
        else
            service "$svc" stop >/dev/null 2>&1 || true
            update-rc.d "$svc" disable >/dev/null 2>&1 || true
        fi
    done
}

# ------------------------------------------------------------------ helpers
plan_devices() { awk '$1=="D"' "$STATE/plan"; }
plan_links()   { awk '$1=="L"' "$STATE/plan"; }
dev_ns()       { awk -v n="$1" '$1=="D" && ($3==n || $4==n) {print $4; exit}' "$STATE/plan"; }
dev_name()     { awk -v n="$1" '$1=="D" && ($3==n || $4==n) {print $3; exit}' "$STATE/plan"; }
dev_mgmt()     { awk -v n="$1" '$1=="D" && ($3==n || $4==n) {print $5; exit}' "$STATE/plan"; }
# links between A and B, printed as "ifA addrA ifB addrB" (A-side first)
links_between() {
    awk -v a="$1" -v b="$2" '$1=="L" {
        if ($3==a && $6==b) print $4, $5, $7, $8;
        else if ($3==b && $6==a) print $7, $8, $4, $5 }' "$STATE/plan"
}
dev_idx()      { awk -v n="$1" '$1=="D" && ($3==n || $4==n) {print $2; exit}' "$STATE/plan"; }
# deterministic, locally administered MACs: 02:50:44:<device number, 16 bit>:<port; 0 = mgmt0, k = ethk>
dev_mac()      { local n=$(( $1 + 1 )); printf '02:50:44:%02x:%02x:%02x' $(( (n >> 8) & 255 )) $(( n & 255 )) $(( $2 & 255 )); }
require_lab() { [ -f "$STATE/plan" ] || die "no lab is up (run: $0 up)"; }

kill_ns_procs() {
    local ns="$1" pids i
    pids="$(ip netns pids "$ns" 2>/dev/null || true)"
    [ -n "$pids" ] || return 0
    kill -TERM $pids 2>/dev/null || true
    for i in $(seq 1 30); do
        pids="$(ip netns pids "$ns" 2>/dev/null || true)"
        [ -n "$pids" ] || return 0
        sleep 0.1
    done
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
}

# ------------------------------------------------------------------ down
cmd_down() {
    local quiet="${1:-}" nss ns l
    nss="$( { cat "$STATE/namespaces" 2>/dev/null || true
              ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX" || true; } | sort -u)"
    for ns in $nss; do kill_ns_procs "$ns"; done
    for ns in $nss; do
        ip netns del "$ns" 2>/dev/null || true
    done
    # host ends of management veths normally vanish with their namespace; make sure
    for l in $(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$HOSTVETH_PREFIX" || true); do
        ip link del "$l" 2>/dev/null || true
    done
    ip link del "$BRIDGE" 2>/dev/null || true
    # lldpd's privsep chroot (it copies /etc/localtime into it); removed only if this script made it
    # (zombies are ignored: PID 1 of some sandboxes reaps orphans only lazily)
    if [ -f "$STATE/made-lldpd-chroot" ] && ! ps -eo stat=,comm= | awk '$2=="lldpd" && $1 !~ /^Z/ {f=1} END {exit !f}'; then
        rm -rf "$LLDPD_CHROOT"
    fi
    rm -rf "$STATE"
    [ -n "$quiet" ] || log "lab is down"
}

# ------------------------------------------------------------------ up
write_snmpd_conf() { # name index mgmt ns
    local name="$1" idx="$2" mgmt="$3" ns="$4" d="$STATE/$1"
    cat > "$d/snmpd.conf" <<EOF
# generated by scripts/lab.sh for lab device $name (netns $ns)
agentAddress udp:$mgmt:161
rocommunity $COMMUNITY $MGMT_NET
includeDir /etc/snmp/snmpd.conf.d
pass_persist .1.3.6.1.2.1.31.1.1.1.18 /usr/bin/python3 $LABDIR/ifalias.py
sysDescr PDSNO-Lab vRouter $name, Linux $(uname -r) $(uname -m), net-snmp $(snmpd -v 2>/dev/null | awk '/version/{print $NF; exit}'), lldpd $(lldpd -v 2>/dev/null | head -1)
sysServices 6
master agentx
agentXSocket unix:$d/agentx
agentXPerms 0660 0750 root root
agentXTimeout 5
EOF
}

write_lldpd_conf() { # name mgmt
    local name="$1" mgmt="$2" d="$STATE/$1"
    cat > "$d/lldpd.conf" <<EOF
configure system hostname $name
configure system description "PDSNO-Lab vRouter $name (Linux)"
configure system platform PDSNO-Lab
configure system interface pattern eth*
configure system ip management pattern $mgmt
configure system capabilities enabled router
configure lldp portidsubtype ifname
configure lldp tx-interval $TX_INTERVAL
configure lldp tx-hold $TX_HOLD
EOF
}

# The device's own /etc (upper layer of its overlay), seeded on first start only: a restart keeps what was
# written into the device, as a reboot would. sysName/sysLocation/sysContact live in the device's snmpd
# include file, where a config driver writes them too.
seed_device_etc() { # name index ns
    local name="$1" idx="$2" ns="$3" d="$STATE/$1"
    [ -d "$d/etc" ] && return 0
    mkdir -p "$d/etc/snmp/snmpd.conf.d" "$d/etc.work"
    printf '%s\n' "$name" > "$d/etc/hostname"
    printf '# lab device %s: no name servers\n' "$name" > "$d/etc/resolv.conf"
    # root's shell in the device is sh: bash run by sshd sources the machine's /root/.bashrc, whatever that does.
    sed -E 's#^(root:[^:]*:0:0:[^:]*:[^:]*):[^:]*$#\1:/bin/sh#' /etc/passwd > "$d/etc/passwd"
    cat > "$d/etc/snmp/snmpd.conf.d/pdsno-system.conf" <<EOF
sysName $name
sysLocation PDSNO lab, rack $((idx + 1)), netns $ns
sysContact pdsno-lab@example.invalid
EOF
}

write_sshd_conf() { # name mgmt
    local name="$1" mgmt="$2" d="$STATE/$1"
    [ -f "$d/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "pdsno-lab $name" -f "$d/ssh_host_ed25519_key"
    cat > "$d/sshd_config" <<EOF
# generated by scripts/lab.sh for lab device $name
ListenAddress $mgmt:22
HostKey $d/ssh_host_ed25519_key
AuthorizedKeysFile $SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PrintMotd no
X11Forwarding no
AllowTcpForwarding no
PidFile none
MaxStartups 50:30:100
EOF
}

# The lab's one client key pair (what PDSNO logs in with) and the authorized_keys every device trusts.
ensure_client_key() {
    mkdir -p "$SSH_DIR"; chmod 755 "$SSH_DIR"
    [ -f "$SSH_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "pdsno-lab client" -f "$SSH_DIR/id_ed25519"
    cp "$SSH_DIR/id_ed25519.pub" "$SSH_DIR/authorized_keys"; chmod 644 "$SSH_DIR/authorized_keys"
    mkdir -p /run/sshd; chmod 755 /run/sshd   # sshd's privilege separation directory
}

# The device's anchor: a process that holds its UTS and mount namespaces (its host name and its /etc overlay)
# inside its network namespace. Every daemon of the device and `lab.sh exec` enter them with nsenter.
start_anchor() { # name ns
    local name="$1" ns="$2" d="$STATE/$1" i
    rm -f "$d/anchor.ready"
    setsid ip netns exec "$ns" unshare --mount --uts --propagation private sh -c '
        set -e
        mount -t overlay "pdsno-$1" -o "lowerdir=/etc,upperdir=$2/etc,workdir=$2/etc.work" /etc
        hostname "$(head -n1 /etc/hostname)"
        touch "$2/anchor.ready"
        exec sleep infinity' anchor "$name" "$d" </dev/null >>"$d/anchor.log" 2>&1 9>&- &
    echo $! > "$d/anchor.pid"
    for i in $(seq 1 100); do [ -f "$d/anchor.ready" ] && return 0; sleep 0.05; done
    die "device $name: namespaces not ready (see $d/anchor.log)"
}

# Runs a command inside a device: its network, UTS and mount namespaces.
in_device() { # name cmd...
    local d="$STATE/$1"; shift
    nsenter -t "$(cat "$d/anchor.pid")" -n -u -m "$@"
}

start_daemons() { # name ns mgmt
    local name="$1" ns="$2" mgmt="$3" d="$STATE/$1" i
    mkdir -p "$d/persist"
    start_anchor "$name" "$ns"
    # sshd: foreground (-D) under setsid, its own host key, logins only with the lab's client key.
    setsid nsenter -t "$(cat "$d/anchor.pid")" -n -u -m /usr/sbin/sshd -D -f "$d/sshd_config" -E "$d/sshd.log" \
        </dev/null >>"$d/sshd.log" 2>&1 9>&- &
    echo $! > "$d/sshd.pid"
    # snmpd: -C = only our config file; it daemonizes and writes its pid file.
    SNMP_PERSISTENT_DIR="$d/persist" in_device "$name" /usr/sbin/snmpd -C -c "$d/snmpd.conf" \
        -p "$d/snmpd.pid" -Lf "$d/snmpd.log" -I -smux,mteTrigger,mteTriggerConf \
        </dev/null >>"$d/snmpd.log" 2>&1 9>&- || die "snmpd failed in $ns (see $d/snmpd.log)"
    for i in $(seq 1 100); do [ -S "$d/agentx" ] && break; sleep 0.05; done
    [ -S "$d/agentx" ] || die "snmpd in $ns did not create $d/agentx (see $d/snmpd.log)"
    # lldpd: foreground (-d) so no shared /run/lldpd.pid is written; detached with setsid.
    setsid nsenter -t "$(cat "$d/anchor.pid")" -n -u -m /usr/sbin/lldpd -d -u "$d/lldpd.ctl" -x -X "$d/agentx" \
        -I 'eth*' -m "$mgmt" -S "PDSNO-Lab vRouter $name (Linux)" -O "$d/lldpd.conf" \
        </dev/null >>"$d/lldpd.log" 2>&1 9>&- &
    echo $! > "$d/lldpd.pid"
}

cmd_up() {
    local topology=ring devices=4 name=lab wait=1
    while [ $# -gt 0 ]; do
        case "$1" in
            --topology) topology="${2:?}"; shift 2 ;;
            --topology=*) topology="${1#*=}"; shift ;;
            --devices) devices="${2:?}"; shift 2 ;;
            --devices=*) devices="${1#*=}"; shift ;;
            --name) name="${2:?}"; shift 2 ;;
            --name=*) name="${1#*=}"; shift ;;
            --no-wait) wait=0; shift ;;
            *) die "unknown option $1" ;;
        esac
    done
    case "$devices" in ''|*[!0-9]*) die "--devices must be a number" ;; esac
    case "$topology" in ring|tree) ;; *) [ -f "$topology" ] || die "no such topology file: $topology"
        topology="$(cd "$(dirname "$topology")" && pwd)/$(basename "$topology")" ;; esac
    [ -n "$COMMUNITY" ] && [[ "$COMMUNITY" != *[[:space:]]* ]] || die "PDSNO_LAB_COMMUNITY must be a non-empty word"
    ensure_packages
    local t0; t0="$(now)"
    cmd_down quiet
    mkdir -p "$STATE"; chmod 755 "$STATE"
    python3 "$TOPO" plan --topology "$topology" --devices "$devices" --name "$name" > "$STATE/plan.tmp" \
        || { rm -rf "$STATE"; die "topology planning failed"; }
    mv "$STATE/plan.tmp" "$STATE/plan"
    printf '%s\n' "$COMMUNITY" > "$STATE/community"; chmod 600 "$STATE/community"
    local clash
    if ! clash="$(python3 "$TOPO" overlap --ignore-dev "$BRIDGE" "$MGMT_NET" "$LINK_NET")"; then
        rm -rf "$STATE"
        die "host routes overlap the lab ranges ($MGMT_NET, $LINK_NET): $clash -- set PDSNO_LAB_MGMT_PREFIX / PDSNO_LAB_LINK_PREFIX"
    fi
    if [ ! -d "$LLDPD_CHROOT" ]; then mkdir -p "$LLDPD_CHROOT"; chmod 755 "$LLDPD_CHROOT"; touch "$STATE/made-lldpd-chroot"; fi
    trap 'log "up failed; tearing down"; cmd_down quiet' ERR

    # management bridge on the host
    ip link add "$BRIDGE" type bridge stp_state 0 forward_delay 0
    ip link set "$BRIDGE" up
    ip addr add "$MGMT_GW/16" dev "$BRIDGE"

    local _ idx dname ns mgmt label
    while read -r _ idx dname ns mgmt label; do
        ip netns add "$ns"
        echo "$ns" >> "$STATE/namespaces"
        mkdir -p "$STATE/$dname"
        ip -n "$ns" link set lo up
        ip link add "$HOSTVETH_PREFIX$idx" type veth peer name mgmt0 netns "$ns" address "$(dev_mac "$idx" 0)"
        ip link set "$HOSTVETH_PREFIX$idx" master "$BRIDGE"
        ip link set "$HOSTVETH_PREFIX$idx" up
        ip -n "$ns" addr add "$mgmt/16" dev mgmt0
        ip -n "$ns" link set mgmt0 alias "management"
        ip -n "$ns" link set mgmt0 up
    done < <(plan_devices)

    local k a aif aaddr b bif baddr nsa nsb
    while read -r _ k a aif aaddr b bif baddr; do
        nsa="$NS_PREFIX$a"; nsb="$NS_PREFIX$b"
        ip link add "$aif" netns "$nsa" address "$(dev_mac "$(dev_idx "$a")" "${aif#eth}")" type veth \
            peer name "$bif" netns "$nsb" address "$(dev_mac "$(dev_idx "$b")" "${bif#eth}")"
        ip -n "$nsa" addr add "$aaddr/31" dev "$aif"
        ip -n "$nsb" addr add "$baddr/31" dev "$bif"
        ip -n "$nsa" link set "$aif" alias "to $b $bif"
        ip -n "$nsb" link set "$bif" alias "to $a $aif"
        ip -n "$nsa" link set "$aif" up
        ip -n "$nsb" link set "$bif" up
    done < <(plan_links)

    ensure_client_key
    while read -r _ idx dname ns mgmt label; do
        write_snmpd_conf "$dname" "$idx" "$mgmt" "$ns"
        write_lldpd_conf "$dname" "$mgmt"
        seed_device_etc "$dname" "$idx" "$ns"
        write_sshd_conf "$dname" "$mgmt"
        start_daemons "$dname" "$ns" "$mgmt"
    done < <(plan_devices)
    trap - ERR

    # SNMP readiness from the host (bounded)
    local deadline=$(( $(date +%s) + WAIT_TIMEOUT )) pending
    while :; do
        pending=""
        while read -r _ idx dname ns mgmt label; do
            snmpget -v2c -c "$COMMUNITY" -t 1 -r 0 -Oqv "$mgmt" 1.3.6.1.2.1.1.5.0 2>/dev/null | grep -qx "\"\?$dname\"\?" \
                && timeout 1 bash -c "</dev/tcp/$mgmt/22" 2>/dev/null || pending="$pending $dname"
        done < <(plan_devices)
        [ -z "$pending" ] && break
        [ "$(date +%s)" -lt "$deadline" ] || { cmd_down quiet; die "SNMP not answering on:$pending"; }
        sleep 0.5
    done
    log "SNMP and SSH answer on every device after $(elapsed "$t0")s"
    log "SSH: user root, client key $SSH_DIR/id_ed25519"

    python3 "$TOPO" state --plan "$STATE/plan" --out "$STATE/lab.json" --community "$COMMUNITY" \
        --name "$name" --topology "$topology" --bridge "$BRIDGE" --tx-interval "$TX_INTERVAL" --tx-hold "$TX_HOLD"

    summary
    if [ "$wait" = 1 ]; then
        cmd_wait "$WAIT_TIMEOUT" || { log "warning: LLDP neighbours incomplete (lab stays up; see $0 status)"; return 1; }
    fi
    log "state file: $STATE/lab.json"
}

summary() {
    local _ idx dname ns mgmt label k a aif aaddr b bif baddr
    printf '%-10s %-16s %-14s %s\n' DEVICE NAMESPACE MGMT DATA-LINKS
    while read -r _ idx dname ns mgmt label; do
        local ls=""
        while read -r _ k a aif aaddr b bif baddr; do
            [ "$a" = "$dname" ] && ls="$ls $aif->$b:$bif"
            [ "$b" = "$dname" ] && ls="$ls $bif->$a:$aif"
        done < <(plan_links)
        printf '%-10s %-16s %-14s %s\n' "$dname" "$ns" "$mgmt" "${ls# }"
    done < <(plan_devices)
    printf 'links: %s  community: %s  host: %s on %s  lldp tx-interval %ss tx-hold %s\n' \
        "$(plan_links | wc -l)" "$COMMUNITY" "$MGMT_GW/16" "$BRIDGE" "$TX_INTERVAL" "$TX_HOLD"
}

# Every data interface that is up must show its neighbour in LLDP-MIB lldpRemSysName, read over SNMP.
cmd_wait() {
    require_lab
    local timeout="${1:-$WAIT_TIMEOUT}" t0 deadline _ idx dname ns mgmt label want got pending
    t0="$(now)"; deadline=$(( $(date +%s) + timeout ))
    while :; do
        pending=""
        while read -r _ idx dname ns mgmt label; do
            # expected: data interfaces with carrier (LOWER_UP: both veth ends administratively up)
            want="$(ip -n "$ns" -o link show 2>/dev/null | grep -cE ': eth[0-9]+@[^:]*: <[^>]*LOWER_UP' || true)"
            got="$(snmpbulkwalk -v2c -c "$COMMUNITY" -t 1 -r 1 -On "$mgmt" 1.0.8802.1.1.2.1.4.1.1.9 2>/dev/null | grep -cE '^\.1\.0\.8802\.1\.1\.2\.1\.4\.1\.1\.9\.[0-9]+\.[0-9]+\.[0-9]+ = STRING' || true)"
            [ "$got" -eq "$want" ] || pending="$pending $dname($got/$want)"
        done < <(plan_devices)
        if [ -z "$pending" ]; then
            log "LLDP neighbours complete in LLDP-MIB after $(elapsed "$t0")s"
            return 0
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            log "LLDP neighbours still missing after ${timeout}s:$pending"
            return 1
        fi
        sleep 0.5
    done
}

cmd_status() {
    if [ ! -f "$STATE/plan" ]; then
        echo "no lab (no $STATE/plan)"
        ip netns list 2>/dev/null | grep "^$NS_PREFIX" && echo "(stray namespaces above: run $0 down)"
        return 0
    fi
    summary
    printf '\n%-10s %-6s %-14s %-14s %-14s %-12s %s\n' DEVICE NETNS SNMPD LLDPD SSHD HOSTNAME LLDP-NEIGHBOURS
    local _ idx dname ns mgmt label d sp lp hp hn nb
    while read -r _ idx dname ns mgmt label; do
        d="$STATE/$dname"
        sp="$(cat "$d/snmpd.pid" 2>/dev/null || echo -)"; lp="$(cat "$d/lldpd.pid" 2>/dev/null || echo -)"
        hp="$(cat "$d/sshd.pid" 2>/dev/null || echo -)"
        kill -0 "$sp" 2>/dev/null && sp="up($sp)" || sp="DOWN"
        kill -0 "$lp" 2>/dev/null && lp="up($lp)" || lp="DOWN"
        kill -0 "$hp" 2>/dev/null && hp="up($hp)" || hp="DOWN"
        hn="$(in_device "$dname" hostname 2>/dev/null || echo -)"
        nb="$(lldpcli -u "$d/lldpd.ctl" -f keyvalue show neighbors 2>/dev/null \
              | awk -F'[.=]' '$3=="chassis" && $4=="name" {printf "%s>%s ", $2, $5}')"
        printf '%-10s %-6s %-14s %-14s %-14s %-12s %s\n' "$dname" "$(ip netns list | grep -qw "^$ns" && echo ok || echo MISSING)" "$sp" "$lp" "$hp" "$hn" "${nb:-none}"
    done < <(plan_devices)
    echo
    echo "ssh: user root, client key $SSH_DIR/id_ed25519 (public: $SSH_DIR/id_ed25519.pub)"
    echo "     host keys /run/pdsno-lab/<device>/ssh_host_ed25519_key.pub"
    echo
    echo "host UDP :161 listeners (should be none outside the lab namespaces):"
    ss -lunH 'sport = :161' 2>/dev/null | sed 's/^/  /' || true
}

cmd_link() { # up|down A B
    require_lab
    local state="$1" a b nsa nsb found=0 aif aaddr bif baddr
    a="$(dev_name "${2:?device A}")"; b="$(dev_name "${3:?device B}")"
    [ -n "$a" ] && [ -n "$b" ] || die "unknown device(s): $2 $3"
    nsa="$(dev_ns "$a")"; nsb="$(dev_ns "$b")"
    while read -r aif aaddr bif baddr; do
        ip -n "$nsa" link set "$aif" "$state"
        ip -n "$nsb" link set "$bif" "$state"
        log "link $a:$aif <-> $b:$bif $state"
        found=1
    done < <(links_between "$a" "$b")
    [ "$found" = 1 ] || die "no data link between $a and $b"
}

cmd_traffic() { # A B SECONDS
    require_lab
    local a b secs nsa aif aaddr bif baddr before after
    a="$(dev_name "${1:?device A}")"; b="$(dev_name "${2:?device B}")"; secs="${3:-10}"
    case "$secs" in ''|*[!0-9]*) die "SECONDS must be a number" ;; esac
    [ -n "$a" ] && [ -n "$b" ] || die "unknown device(s): $1 $2"
    read -r aif aaddr bif baddr < <(links_between "$a" "$b") || die "no data link between $a and $b"
    nsa="$(dev_ns "$a")"
    before="$(ip netns exec "$nsa" cat "/sys/class/net/$aif/statistics/tx_bytes")"
    log "traffic $a:$aif -> $b:$bif ($baddr) for ${secs}s (ping flood, 1400-byte payload)"
    ip netns exec "$nsa" timeout $((secs + 5)) ping -f -q -s 1400 -w "$secs" "$baddr" >/dev/null 2>&1 || true
    after="$(ip netns exec "$nsa" cat "/sys/class/net/$aif/statistics/tx_bytes")"
    awk -v a="$a" -v i="$aif" -v d="$((after - before))" -v s="$secs" \
        'BEGIN{printf "%s:%s sent %d bytes in %ds (%.1f Mbit/s)\n", a, i, d, s, d*8/s/1e6}'
}

# Restart one device (its namespaces' processes: snmpd, lldpd, sshd): sysUpTime starts again from 0 (for
# reset tests). What was written into the device's /etc and its interfaces stays, as across a reboot.
cmd_restart() {
    require_lab
    local name ns mgmt d i
    name="$(dev_name "${1:?device}")"; [ -n "$name" ] || die "unknown device $1"
    ns="$(dev_ns "$name")"; mgmt="$(dev_mgmt "$name")"; d="$STATE/$name"
    kill_ns_procs "$ns"
    rm -f "$d/agentx" "$d/lldpd.ctl" "$d/snmpd.pid" "$d/lldpd.pid" "$d/sshd.pid" "$d/anchor.pid"
    start_daemons "$name" "$ns" "$mgmt"
    for i in $(seq 1 40); do
        snmpget -v2c -c "$COMMUNITY" -t 1 -r 0 -Oqv "$mgmt" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
        sleep 0.25
    done
    log "restarted agents of $name"
    cmd_wait 20 || true
}

cmd_exec() {
    require_lab
    local name; name="$(dev_name "${1:?device}")"; [ -n "$name" ] || die "unknown device $1"; shift
    exec nsenter -t "$(cat "$STATE/$name/anchor.pid")" -n -u -m "$@"
}

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

main() {
    local cmd="${1:-}"; [ $# -gt 0 ] && shift
    # every command but `up` talks to the running lab with the community it was built with
    if [ "$cmd" != up ] && [ -r "$STATE/community" ]; then COMMUNITY="$(cat "$STATE/community")"; fi
    case "$cmd" in
        up)        need_root; take_lock; cmd_up "$@" ;;
        down)      need_root; take_lock; cmd_down ;;
        status)    cmd_status ;;
        wait)      need_root; cmd_wait "$@" ;;
        link-down) need_root; cmd_link down "$@" ;;
        link-up)   need_root; cmd_link up "$@" ;;
        traffic)   need_root; cmd_traffic "$@" ;;
        exec)      need_root; cmd_exec "$@" ;;
        restart)   need_root; cmd_restart "$@" ;;
        check)     require_lab; python3 "$LABDIR/check.py" "$STATE/lab.json" ;;
        -h|--help|help|'') usage ;;
        *) usage; exit 2 ;;
    esac
}
main "$@"
