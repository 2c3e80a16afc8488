#!/usr/bin/env bash
# Private PostgreSQL for development, first runs and tests.
#   pg.sh start DIR [PORT|auto]   initialise DIR if empty, start the server, create database "pdsno" and the
#                                 silo's role "pdsno_silo", print the owner's connection string as the last line
#   pg.sh stop DIR                stop the server that runs from DIR
#   pg.sh url DIR                 print the silo's connection string (role pdsno_silo: no superuser, owns nothing;
#                                 `Pdsno.Silo migrate` grants it what it needs)
#   pg.sh owner-url DIR           print the owner's connection string (superuser "pdsno": schema, migrations, tests)
# initdb refuses to run as root, so as root the cluster belongs to an unprivileged user
# ("postgres" when Debian's package made it, else "pdsno", created here).
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -x "$d/initdb" ]]; then echo "$d"; return; fi
  fi
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/initdb" ]]; then echo "$d"; return; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  return 1
}

ensure_binaries() {
  if BINDIR="$(find_bindir)"; then return; fi
  [[ $EUID -eq 0 ]] || die "PostgreSQL server binaries not found; install Debian's 'postgresql' package"
  echo "pg.sh: installing PostgreSQL from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  # Debian's package starts a cluster of its own on 5432; this script does not use it.
  BINDIR="$(find_bindir)" || die "PostgreSQL installed but initdb still not found"
}

run_as() {
  if [[ $EUID -eq 0 ]]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

choose_os_user() {
  if [[ $EUID -ne 0 ]]; then PGUSER_OS="$(id -un)"; return; fi
  if id postgres >/dev/null 2>&1; then PGUSER_OS=postgres; return; fi
  if ! id pdsno >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin pdsno
  fi
  PGUSER_OS=pdsno
}

# A port below the kernel's range for outgoing connections: a port in that range may be held by a client socket
# (nothing listens there, so the probe finds it free) and the server's bind then fails with "Address already in use".
free_port() {
  local p lo=32768 hi
  read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  (( lo > 21000 )) || lo=32768
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % (lo - 20000) ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free TCP port found"
}

# The data folder must be reachable by the unprivileged owner; when a parent folder is closed to it
# (a checkout under /root, say) the data lives under /var/tmp and DIR keeps a pointer to it.
resolve_datadir() {
  local dir="$1"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [[ -f "$dir/datadir" ]]; then DATADIR="$(cat "$dir/datadir")"; else
    DATADIR="$dir/data"
    if [[ $EUID -eq 0 ]] && ! runuser -u "$PGUSER_OS" -- test -x "$dir"; then
      DATADIR="/var/tmp/pdsno-pg-$(echo -n "$dir" | sha256sum | cut -c1-12)"
    fi
    echo "$DATADIR" > "$dir/datadir"
  fi
  STATEDIR="$dir"
}

owner_string() {
  echo "Host=127.0.0.1;Port=$(cat "$STATEDIR/port");Username=pdsno;Password=$(cat "$STATEDIR/password");Database=pdsno"
}

silo_string() {
  [[ -f "$STATEDIR/silo-password" ]] || die "no silo role in $STATEDIR yet: run pg.sh start first"
  echo "Host=127.0.0.1;Port=$(cat "$STATEDIR/port");Username=pdsno_silo;Password=$(cat "$STATEDIR/silo-password");Database=pdsno"
}

cmd="${1:-}"; dir="${2:-}"
[[ -n "$cmd" && -n "$dir" ]] || die "usage: pg.sh start|stop|url|owner-url DIR [PORT|auto]"

case "$cmd" in
  start)
    ensure_binaries
    choose_os_user
    resolve_datadir "$dir"
    umask 077
    if [[ ! -f "$DATADIR/PG_VERSION" ]]; then
      port="${3:-auto}"; [[ "$port" == auto ]] && { port="$(free_port)"; touch "$STATEDIR/port-auto"; }
      echo "$port" > "$STATEDIR/port"
      head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$STATEDIR/password"
      mkdir -p "$DATADIR"
      chown "$PGUSER_OS" "$DATADIR"
      chmod 700 "$DATADIR"
      pwfile="$DATADIR.pw"; cp "$STATEDIR/password" "$pwfile"; chown "$PGUSER_OS" "$pwfile"
      run_as "$BINDIR/initdb" -D "$DATADIR" -U pdsno --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
        || { rm -f "$pwfile"; die "initdb failed for $DATADIR"; }
      rm -f "$pwfile"
      cat >> "$DATADIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DATADIR'
max_connections = 300
shared_buffers = 256MB
CONF
    fi
    if ! run_as "$BINDIR/pg_ctl" -D "$DATADIR" status >/dev/null 2>&1; then
      for attempt in 1 2 3 4 5; do
        run_as "$BINDIR/pg_ctl" -D "$DATADIR" -l "$DATADIR/server.log" -w -t 60 start >/dev/null 2>&1 && break
        # A port this script chose and something else took meanwhile: another one, in the server's config too.
        if [[ -f "$STATEDIR/port-auto" && $attempt -lt 5 ]] && tail -20 "$DATADIR/server.log" 2>/dev/null | grep -q "Address already in use"; then
          port="$(free_port)"
          run_as sed -i "s/^port = .*/port = $port/" "$DATADIR/postgresql.conf"
          echo "$port" > "$STATEDIR/port"
          continue
        fi
        tail -20 "$DATADIR/server.log" >&2 || true
        die "PostgreSQL did not start from $DATADIR"
      done
    fi
    export PGPASSWORD; PGPASSWORD="$(cat "$STATEDIR/password")"
    port="$(cat "$STATEDIR/port")"
    psql_bin="$BINDIR/psql"; [[ -x "$psql_bin" ]] || psql_bin=psql
    if ! "$psql_bin" -h 127.0.0.1 -p "$port" -U pdsno -d postgres -tAc "select 1 from pg_database where datname='pdsno'" | grep -q 1; then
      "$psql_bin" -h 127.0.0.1 -p "$port" -U pdsno -d postgres -qc "create database pdsno" >/dev/null
    fi
    # The silo's own role: it may not alter the audit trail, which a superuser always could.
    if ! "$psql_bin" -h 127.0.0.1 -p "$port" -U pdsno -d postgres -tAc "select 1 from pg_roles where rolname='pdsno_silo'" | grep -q 1; then
      [[ -f "$STATEDIR/silo-password" ]] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$STATEDIR/silo-password"
      # On stdin, not the command line, where other users could read the password.
      "$psql_bin" -h 127.0.0.1 -p "$port" -U pdsno -d postgres -q >/dev/null <<SQL
create role pdsno_silo login nosuperuser nocreatedb nocreaterole password '$(cat "$STATEDIR/silo-password")';
SQL
    fi
    owner_string
    ;;
  stop)
    ensure_binaries; choose_os_user; resolve_datadir "$dir"
    if [[ -f "$DATADIR/PG_VERSION" ]]; then run_as "$BINDIR/pg_ctl" -D "$DATADIR" -m fast -w stop >/dev/null 2>&1 || true; fi
    ;;
  url)
    choose_os_user; resolve_datadir "$dir"; silo_string ;;
  owner-url)
    choose_os_user; resolve_datadir "$dir"; owner_string ;;
  *) die "unknown command '$cmd' (start|stop|url|owner-url)" ;;
esac
